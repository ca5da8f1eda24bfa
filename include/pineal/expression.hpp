// Arithmetic expressions of a few named variables ("exp(-d/100)",
// "0.1 + d/1000", "(dx > 0) * 0.5"), parsed once and evaluated per synapse
// without any callback into Python. The syntax is the subset of Python and
// numpy that PyNN's distance expressions use: + - * / // % **, comparisons
// (true = 1, false = 0), parentheses, numbers, the constants e and pi, and
// the functions listed in expression.cpp (an optional "numpy." / "np." /
// "math." prefix is accepted).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pineal {

class Expression {
public:
    // `variables` are the names the expression may use, in the order of the
    // values given to evaluate(). Throws pineal::Error (invalid_parameter_value,
    // parameter `what`) with the position of the first malformed token.
    Expression(const std::string& text, std::vector<std::string> variables,
               const std::string& what = "expression");

    double evaluate(const double* values) const;
    // Evaluates n points at once (the same operations in the same order as
    // evaluate(), so the same results): columns[k] holds the n values of
    // variable k (may be null if the expression does not use it). `scratch`
    // is reused between calls to avoid allocations.
    void evaluate_batch(std::size_t n, const double* const* columns, double* out,
                        std::vector<double>& scratch) const;
    // Whether variable k appears in the expression.
    bool uses(std::size_t k) const { return (used_ >> k) & 1U; }
    const std::string& text() const { return text_; }

    enum class Op : std::uint8_t {
        constant, variable, neg, add, sub, mul, div, floordiv, mod, pow,
        lt, le, gt, ge, eq, ne, call1, call2, call3
    };
    struct Instruction {
        Op op;
        std::uint8_t index;  // variable or function number
        double value;        // constant
    };

private:
    std::string text_;
    std::vector<std::string> variables_;
    std::vector<Instruction> code_;  // postfix
    std::size_t max_stack_ = 0;
    std::uint32_t used_ = 0;
    friend class ExpressionParser;
};

}  // namespace pineal
