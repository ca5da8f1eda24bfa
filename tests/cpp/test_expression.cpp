// The expression evaluator: Python precedence and semantics for the subset
// PyNN's distance expressions use, functions, variables, and errors that
// point at the offending position.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "pineal/expression.hpp"
#include "test_support.hpp"

namespace pineal {
namespace {

const std::vector<std::string> kVars{"d", "dx", "dy", "dz", "i", "j"};

double eval(const std::string& text, std::vector<double> v = {0, 0, 0, 0, 0, 0}) {
    return Expression(text, kVars).evaluate(v.data());
}

TEST(Expression, PythonPrecedenceAndOperators) {
    EXPECT_EQ(eval("1 + 2 * 3"), 7.0);
    EXPECT_EQ(eval("(1 + 2) * 3"), 9.0);
    EXPECT_EQ(eval("-2**2"), -4.0);     // ** binds tighter than unary minus
    EXPECT_EQ(eval("2**-1"), 0.5);      // a unary minus in the exponent
    EXPECT_EQ(eval("2**3**2"), 512.0);  // right-associative
    EXPECT_EQ(eval("7 // 2"), 3.0);
    EXPECT_EQ(eval("-7 // 2"), -4.0);   // floor division
    EXPECT_EQ(eval("-7 % 3"), 2.0);     // sign of the divisor, as Python
    EXPECT_EQ(eval("10 - 4 - 3"), 3.0); // left-associative
    EXPECT_EQ(eval("8 / 4 / 2"), 1.0);
    EXPECT_EQ(eval("1.5e2 + .5"), 150.5);
    EXPECT_EQ(eval("--3"), 3.0);
}

TEST(Expression, ComparisonsGiveOneOrZero) {
    EXPECT_EQ(eval("d < 3", {2}), 1.0);
    EXPECT_EQ(eval("d < 3", {3}), 0.0);
    EXPECT_EQ(eval("d <= 3", {3}), 1.0);
    EXPECT_EQ(eval("d >= 3", {2}), 0.0);
    EXPECT_EQ(eval("d == 2", {2}), 1.0);
    EXPECT_EQ(eval("d != 2", {2}), 0.0);
    EXPECT_EQ(eval("0.5 * (d > 1)", {2}), 0.5);
}

TEST(Expression, FunctionsAndConstants) {
    EXPECT_DOUBLE_EQ(eval("exp(1)"), M_E);
    EXPECT_DOUBLE_EQ(eval("e"), M_E);
    EXPECT_DOUBLE_EQ(eval("sin(pi / 2)"), 1.0);
    EXPECT_DOUBLE_EQ(eval("cos(0) + tan(0)"), 1.0);
    EXPECT_DOUBLE_EQ(eval("log(e**2)"), 2.0);
    EXPECT_DOUBLE_EQ(eval("sqrt(16)"), 4.0);
    EXPECT_EQ(eval("abs(-3)"), 3.0);
    EXPECT_EQ(eval("floor(-1.5) + ceil(1.2)"), 0.0);
    EXPECT_EQ(eval("minimum(1, 2) + maximum(1, 2)"), 3.0);
    EXPECT_EQ(eval("where(d > 1, 10, 20)", {2}), 10.0);
    EXPECT_EQ(eval("numpy.exp(0) + np.sqrt(4) + math.floor(0.5)"), 3.0);
    EXPECT_DOUBLE_EQ(eval("sin(pi*d/250.0)**2", {125}), 1.0);
}

TEST(Expression, VariablesAndUse) {
    const std::vector<double> v{5, 3, 4, 0, 7, 9};
    EXPECT_EQ(eval("d + 10*dx + 100*dy + 1000*dz + 1e4*i + 1e5*j", v), 5 + 30 + 400 + 7e4 + 9e5);
    EXPECT_DOUBLE_EQ(eval("0.1 + d/1000", v), 0.105);
    Expression e("exp(-d/100) * (dy > 0)", kVars);
    EXPECT_TRUE(e.uses(0));
    EXPECT_FALSE(e.uses(1));
    EXPECT_TRUE(e.uses(2));
    EXPECT_FALSE(e.uses(4));
}

TEST(Expression, DeepNestingUsesALargerStack) {
    std::string text;
    for (int k = 0; k < 40; ++k) text += "(1 + ";
    text += "0";
    for (int k = 0; k < 40; ++k) text += ")";
    EXPECT_EQ(eval(text), 40.0);
}

// The message names the expression and the position (column of the caret).
void expect_error_at(const std::string& text, std::size_t position, const std::string& why) {
    try {
        Expression(text, kVars, "d_expression");
        ADD_FAILURE() << "no error for '" << text << "'";
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_EQ(e.kind(), ErrorKind::invalid_parameter_value) << m;
        EXPECT_EQ(e.parameter(), "d_expression");
        EXPECT_NE(m.find("position " + std::to_string(position)), std::string::npos) << m;
        EXPECT_NE(m.find(why), std::string::npos) << m;
        EXPECT_NE(m.find("'" + text + "'"), std::string::npos) << m;
    }
}

TEST(Expression, MalformedExpressionsPointAtThePosition) {
    expect_error_at("exp(-d/", 7, "expected a number");
    expect_error_at("1 +* 2", 3, "unexpected '*'");
    expect_error_at("d < 3 q", 6, "unexpected 'q'");
    expect_error_at("exp(-r/100)", 5, "unknown name 'r'");
    expect_error_at("gauss(d)", 0, "unknown function 'gauss'");
    expect_error_at("minimum(d)", 0, "takes 2 argument(s), got 1");
    expect_error_at("(d + 1", 6, "expected ')'");
    expect_error_at("", 0, "empty expression");
    expect_error_at("1 < d < 3", 6, "chained comparisons");
    expect_error_at("3x", 1, "malformed number");
    expect_error_at("d $ 2", 2, "unexpected '$'");
}

}  // namespace
}  // namespace pineal

namespace pineal {
namespace {

// The batch evaluator gives exactly the scalar evaluator's results.
TEST(Expression, BatchEqualsScalar) {
    const std::vector<std::string> texts{
        "0.8 * exp(-d/200)", "-2**-dx + 7 // (dy + 3) - dz % 2.5", "where(d > 2, sin(d), cos(i))",
        "minimum(d, j) * maximum(dx, 0.5) + (i <= j) - (d != 1) + clip(dx, -1, 1)",
        "abs(dx) ** 0.5 / (1 + d)"};
    const std::size_t n = 100;
    std::vector<std::vector<double>> cols(6, std::vector<double>(n));
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t v = 0; v < 6; ++v) cols[v][k] = std::sin(double(k * 7 + v)) * 5.0 + (v == 0 ? 5.0 : 0.0);
    const double* ptr[6];
    for (std::size_t v = 0; v < 6; ++v) ptr[v] = cols[v].data();
    std::vector<double> out(n), scratch;
    for (const auto& t : texts) {
        Expression e(t, kVars);
        e.evaluate_batch(n, ptr, out.data(), scratch);
        for (std::size_t k = 0; k < n; ++k) {
            double v[6];
            for (std::size_t x = 0; x < 6; ++x) v[x] = cols[x][k];
            const double s = e.evaluate(v);
            if (std::isnan(s)) EXPECT_TRUE(std::isnan(out[k])) << t;
            else EXPECT_EQ(out[k], s) << t << " at " << k;
        }
    }
}

}  // namespace
}  // namespace pineal
