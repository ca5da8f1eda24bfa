// Recursive-descent parser to postfix code, and a small stack machine.
// Precedence follows Python: comparison < + - < * / // % < unary - < **.
#include "pineal/expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "pineal/errors.hpp"

namespace pineal {

namespace {

using Fn1 = double (*)(double);
using Fn2 = double (*)(double, double);
using Fn3 = double (*)(double, double, double);

struct Function {
    std::string_view name;
    int arity;
    Fn1 f1;
    Fn2 f2;
    Fn3 f3;
};

double sign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }
double where(double c, double a, double b) { return c != 0.0 ? a : b; }
double clip(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }
double minimum(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::fmin(a, b); }
double maximum(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::fmax(a, b); }

// clang-format off
const std::array<Function, 26> kFunctions{{
    {"exp", 1, [](double x) { return std::exp(x); }, nullptr, nullptr},
    {"log", 1, [](double x) { return std::log(x); }, nullptr, nullptr},
    {"log10", 1, [](double x) { return std::log10(x); }, nullptr, nullptr},
    {"log2", 1, [](double x) { return std::log2(x); }, nullptr, nullptr},
    {"sqrt", 1, [](double x) { return std::sqrt(x); }, nullptr, nullptr},
    {"sin", 1, [](double x) { return std::sin(x); }, nullptr, nullptr},
    {"cos", 1, [](double x) { return std::cos(x); }, nullptr, nullptr},
    {"tan", 1, [](double x) { return std::tan(x); }, nullptr, nullptr},
    {"arcsin", 1, [](double x) { return std::asin(x); }, nullptr, nullptr},
    {"arccos", 1, [](double x) { return std::acos(x); }, nullptr, nullptr},
    {"arctan", 1, [](double x) { return std::atan(x); }, nullptr, nullptr},
    {"sinh", 1, [](double x) { return std::sinh(x); }, nullptr, nullptr},
    {"cosh", 1, [](double x) { return std::cosh(x); }, nullptr, nullptr},
    {"tanh", 1, [](double x) { return std::tanh(x); }, nullptr, nullptr},
    {"abs", 1, [](double x) { return std::fabs(x); }, nullptr, nullptr},
    {"fabs", 1, [](double x) { return std::fabs(x); }, nullptr, nullptr},
    {"floor", 1, [](double x) { return std::floor(x); }, nullptr, nullptr},
    {"ceil", 1, [](double x) { return std::ceil(x); }, nullptr, nullptr},
    {"sign", 1, sign, nullptr, nullptr},
    {"minimum", 2, nullptr, minimum, nullptr},
    {"maximum", 2, nullptr, maximum, nullptr},
    {"power", 2, nullptr, [](double a, double b) { return std::pow(a, b); }, nullptr},
    {"arctan2", 2, nullptr, [](double a, double b) { return std::atan2(a, b); }, nullptr},
    {"fmod", 2, nullptr, [](double a, double b) { return std::fmod(a, b); }, nullptr},
    {"where", 3, nullptr, nullptr, where},
    {"clip", 3, nullptr, nullptr, clip},
}};
// clang-format on

double python_mod(double a, double b) {
    const double r = std::fmod(a, b);
    return (r != 0.0 && ((r < 0) != (b < 0))) ? r + b : r;  // sign of the divisor, as Python
}

}  // namespace

class ExpressionParser {
public:
    ExpressionParser(Expression& e, const std::string& what) : e_(e), s_(e.text_), what_(what) {}

    void parse() {
        skip();
        if (pos_ >= s_.size()) error("empty expression");
        comparison();
        skip();
        if (pos_ < s_.size()) error("unexpected '" + std::string(1, s_[pos_]) + "'");
    }

private:
    [[noreturn]] void error(const std::string& why) { error_at(pos_, why); }
    [[noreturn]] void error_at(std::size_t at, const std::string& why) {
        fail(ErrorKind::invalid_parameter_value, "expression", what_, "malformed ", what_, " '",
             s_, "': ", why, " at position ", at, "\n  ", s_, "\n  ", std::string(at, ' '), "^");
    }
    void skip() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    bool accept(std::string_view tok) {
        skip();
        if (s_.compare(pos_, tok.size(), tok) != 0) return false;
        pos_ += tok.size();
        return true;
    }
    void emit(Expression::Op op, int delta, std::uint8_t index = 0, double value = 0.0) {
        e_.code_.push_back({op, index, value});
        depth_ += delta;
        if (depth_ > e_.max_stack_) e_.max_stack_ = depth_;
    }

    void comparison() {
        arith();
        static constexpr std::array<std::pair<std::string_view, Expression::Op>, 6> ops{{
            {"<=", Expression::Op::le}, {">=", Expression::Op::ge}, {"==", Expression::Op::eq},
            {"!=", Expression::Op::ne}, {"<", Expression::Op::lt}, {">", Expression::Op::gt}}};
        for (const auto& [tok, op] : ops) {
            if (accept(tok)) {
                arith();
                emit(op, -1);
                skip();
                for (const auto& [tok2, op2] : ops)
                    if (s_.compare(pos_, tok2.size(), tok2) == 0)
                        error("chained comparisons are not supported (use parentheses)");
                return;
            }
        }
    }
    void arith() {
        term();
        for (;;) {
            if (accept("+")) term(), emit(Expression::Op::add, -1);
            else if (accept("-")) term(), emit(Expression::Op::sub, -1);
            else return;
        }
    }
    void term() {
        unary();
        for (;;) {
            skip();
            if (s_.compare(pos_, 2, "**") == 0) return;
            if (accept("//")) unary(), emit(Expression::Op::floordiv, -1);
            else if (accept("*")) unary(), emit(Expression::Op::mul, -1);
            else if (accept("/")) unary(), emit(Expression::Op::div, -1);
            else if (accept("%")) unary(), emit(Expression::Op::mod, -1);
            else return;
        }
    }
    void unary() {
        if (accept("-")) { unary(); emit(Expression::Op::neg, 0); return; }
        if (accept("+")) { unary(); return; }
        power();
    }
    void power() {
        primary();
        if (accept("**")) {
            unary();  // right-associative; binds tighter than a unary minus on its left
            emit(Expression::Op::pow, -1);
        }
    }
    void primary() {
        skip();
        if (pos_ >= s_.size()) error("expected a number, a name or '('");
        const char c = s_[pos_];
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return name();
        if (accept("(")) {
            comparison();
            if (!accept(")")) error("expected ')'");
            return;
        }
        error("unexpected '" + std::string(1, c) + "'");
    }
    void number() {
        const char* begin = s_.c_str() + pos_;
        char* end = nullptr;
        const double v = std::strtod(begin, &end);
        if (end == begin) error("malformed number");
        pos_ += static_cast<std::size_t>(end - begin);
        if (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
            error("malformed number");
        emit(Expression::Op::constant, +1, 0, v);
    }
    void name() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
                s_[pos_] == '.'))
            ++pos_;
        std::string id = s_.substr(start, pos_ - start);
        for (std::string_view prefix : {"numpy.", "np.", "math."})
            if (id.rfind(prefix, 0) == 0) id = id.substr(prefix.size());
        skip();
        if (pos_ < s_.size() && s_[pos_] == '(') return call(id, start);
        for (std::size_t k = 0; k < e_.variables_.size(); ++k) {
            if (e_.variables_[k] == id) {
                e_.used_ |= 1U << k;
                return emit(Expression::Op::variable, +1, static_cast<std::uint8_t>(k));
            }
        }
        if (id == "pi") return emit(Expression::Op::constant, +1, 0, M_PI);
        if (id == "e") return emit(Expression::Op::constant, +1, 0, M_E);
        if (id == "inf") return emit(Expression::Op::constant, +1, 0, INFINITY);
        if (id == "True") return emit(Expression::Op::constant, +1, 0, 1.0);
        if (id == "False") return emit(Expression::Op::constant, +1, 0, 0.0);
        std::string known;
        for (const auto& v : e_.variables_) known += (known.empty() ? "" : ", ") + v;
        error_at(start, "unknown name '" + id + "' (variables: " + known + "; constants: e, pi)");
    }
    void call(const std::string& id, std::size_t start) {
        std::size_t f = 0;
        while (f < kFunctions.size() && kFunctions[f].name != id) ++f;
        if (f == kFunctions.size()) error_at(start, "unknown function '" + id + "'");
        accept("(");
        int n = 0;
        if (!accept(")")) {
            do {
                comparison();
                ++n;
            } while (accept(","));
            if (!accept(")")) error("expected ',' or ')'");
        }
        if (n != kFunctions[f].arity)
            error_at(start, id + "() takes " + std::to_string(kFunctions[f].arity) +
                                " argument(s), got " + std::to_string(n));
        const auto op = n == 1 ? Expression::Op::call1
                               : (n == 2 ? Expression::Op::call2 : Expression::Op::call3);
        emit(op, 1 - n, static_cast<std::uint8_t>(f));
    }

    Expression& e_;
    const std::string& s_;
    const std::string& what_;
    std::size_t pos_ = 0;
    std::size_t depth_ = 0;
};

Expression::Expression(const std::string& text, std::vector<std::string> variables,
                       const std::string& what)
    : text_(text), variables_(std::move(variables)) {
    if (variables_.size() > 32)
        fail(ErrorKind::invalid_parameter_value, "expression", what, "too many variables");
    ExpressionParser(*this, what).parse();
}

double Expression::evaluate(const double* values) const {
    // Expressions are short: a small fixed stack avoids an allocation per call.
    constexpr std::size_t kSmall = 32;
    double small[kSmall];
    std::vector<double> big;
    double* st = small;
    if (max_stack_ > kSmall) big.resize(max_stack_), st = big.data();
    std::size_t n = 0;
    for (const Instruction& in : code_) {
        switch (in.op) {
            case Op::constant: st[n++] = in.value; break;
            case Op::variable: st[n++] = values[in.index]; break;
            case Op::neg: st[n - 1] = -st[n - 1]; break;
            case Op::add: --n, st[n - 1] += st[n]; break;
            case Op::sub: --n, st[n - 1] -= st[n]; break;
            case Op::mul: --n, st[n - 1] *= st[n]; break;
            case Op::div: --n, st[n - 1] /= st[n]; break;
            case Op::floordiv: --n, st[n - 1] = std::floor(st[n - 1] / st[n]); break;
            case Op::mod: --n, st[n - 1] = python_mod(st[n - 1], st[n]); break;
            case Op::pow: --n, st[n - 1] = std::pow(st[n - 1], st[n]); break;
            case Op::lt: --n, st[n - 1] = st[n - 1] < st[n]; break;
            case Op::le: --n, st[n - 1] = st[n - 1] <= st[n]; break;
            case Op::gt: --n, st[n - 1] = st[n - 1] > st[n]; break;
            case Op::ge: --n, st[n - 1] = st[n - 1] >= st[n]; break;
            case Op::eq: --n, st[n - 1] = st[n - 1] == st[n]; break;
            case Op::ne: --n, st[n - 1] = st[n - 1] != st[n]; break;
            case Op::call1: st[n - 1] = kFunctions[in.index].f1(st[n - 1]); break;
            case Op::call2: --n, st[n - 1] = kFunctions[in.index].f2(st[n - 1], st[n]); break;
            case Op::call3:
                n -= 2, st[n - 1] = kFunctions[in.index].f3(st[n - 1], st[n], st[n + 1]);
                break;
        }
    }
    return st[0];
}

void Expression::evaluate_batch(std::size_t n, const double* const* columns, double* out,
                                std::vector<double>& scratch) const {
    scratch.resize(std::max<std::size_t>(max_stack_, 1) * n);
    double* st = scratch.data();
    std::size_t top = 0;  // number of slots in use; slot s is st[s * n .. s * n + n)
    auto slot = [&](std::size_t s) { return st + s * n; };
    for (const Instruction& in : code_) {
        double* a = top >= 2 ? slot(top - 2) : nullptr;
        double* b = top >= 1 ? slot(top - 1) : nullptr;
        switch (in.op) {
            case Op::constant: std::fill_n(slot(top++), n, in.value); continue;
            case Op::variable: std::copy_n(columns[in.index], n, slot(top++)); continue;
            case Op::neg: for (std::size_t k = 0; k < n; ++k) b[k] = -b[k]; continue;
            case Op::call1: {
                const Fn1 f = kFunctions[in.index].f1;
                for (std::size_t k = 0; k < n; ++k) b[k] = f(b[k]);
                continue;
            }
            case Op::call3: {
                const Fn3 f = kFunctions[in.index].f3;
                double* c0 = slot(top - 3);
                for (std::size_t k = 0; k < n; ++k) c0[k] = f(c0[k], a[k], b[k]);
                top -= 2;
                continue;
            }
            default: break;
        }
        // Binary operations: a = a op b.
        switch (in.op) {
            case Op::add: for (std::size_t k = 0; k < n; ++k) a[k] += b[k]; break;
            case Op::sub: for (std::size_t k = 0; k < n; ++k) a[k] -= b[k]; break;
            case Op::mul: for (std::size_t k = 0; k < n; ++k) a[k] *= b[k]; break;
            case Op::div: for (std::size_t k = 0; k < n; ++k) a[k] /= b[k]; break;
            case Op::floordiv:
                for (std::size_t k = 0; k < n; ++k) a[k] = std::floor(a[k] / b[k]);
                break;
            case Op::mod: for (std::size_t k = 0; k < n; ++k) a[k] = python_mod(a[k], b[k]); break;
            case Op::pow: for (std::size_t k = 0; k < n; ++k) a[k] = std::pow(a[k], b[k]); break;
            case Op::lt: for (std::size_t k = 0; k < n; ++k) a[k] = a[k] < b[k]; break;
            case Op::le: for (std::size_t k = 0; k < n; ++k) a[k] = a[k] <= b[k]; break;
            case Op::gt: for (std::size_t k = 0; k < n; ++k) a[k] = a[k] > b[k]; break;
            case Op::ge: for (std::size_t k = 0; k < n; ++k) a[k] = a[k] >= b[k]; break;
            case Op::eq: for (std::size_t k = 0; k < n; ++k) a[k] = a[k] == b[k]; break;
            case Op::ne: for (std::size_t k = 0; k < n; ++k) a[k] = a[k] != b[k]; break;
            case Op::call2: {
                const Fn2 f = kFunctions[in.index].f2;
                for (std::size_t k = 0; k < n; ++k) a[k] = f(a[k], b[k]);
                break;
            }
            default: break;
        }
        --top;
    }
    std::copy_n(slot(0), n, out);
}

}  // namespace pineal
