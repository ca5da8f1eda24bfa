"""Coefficients of models/vector_exp.hpp's polynomial.

exp(r) = 1 + r + r^2 g(r) on [-ln2/2, ln2/2]; g is fitted to
(exp(r) - 1 - r) / r^2 by Chebyshev interpolation (mpmath.chebyfit, 50
digits), its coefficients are rounded to doubles, and the relative error of
1 + r + r^2 g with the rounded coefficients is measured on a fine grid in
exact arithmetic. Needs mpmath (not a dependency of pineal):
`python3 scripts/fit_vector_exp.py 7` prints the degree-7 g used now
(relative error 7.4e-14), highest power first, as C hex floats.
"""

import sys

import mpmath as mp


def fit(degree):
    mp.mp.dps = 50
    h = mp.log(2) / 2

    def g(r):
        return mp.mpf(1) / 2 if abs(r) < mp.mpf("1e-20") else (mp.exp(r) - 1 - r) / r**2

    poly = mp.chebyfit(g, [-h, h], degree + 1)
    coeffs = [float(c) for c in poly]
    worst = 0
    for k in range(2001):
        r = -h + 2 * h * k / 2000
        p = mp.mpf(0)
        for c in coeffs:
            p = p * r + mp.mpf(c)
        worst = max(worst, abs((1 + r + r * r * p) / mp.exp(r) - 1))
    return coeffs, float(worst)


if __name__ == "__main__":
    coeffs, worst = fit(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
    print(f"relative error {worst:.3g}")
    for c in coeffs:
        print(c.hex())
