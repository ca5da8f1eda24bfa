// PyNN's connector callback, called from the generating threads: the GIL is
// taken for each call, and an exception raised by the callback stops the
// generation and reaches Python unchanged.
#pragma once

#include <nanobind/nanobind.h>

#include <functional>
#include <optional>
#include <utility>

namespace pineal::bindings {

class PythonProgress {
public:
    explicit PythonProgress(nanobind::object callback) : callback_(std::move(callback)) {}

    // The hook for ProjectionSpec::progress / ConnectionProgress (holds `this`).
    std::function<void(double)> hook() {
        return [this](double fraction) {
            nanobind::gil_scoped_acquire gil;
            if (failure_) throw Failed{};
            try {
                callback_(fraction);
            } catch (nanobind::python_error& e) {
                failure_.emplace(std::move(e));
                throw Failed{};
            }
        };
    }

    // Runs `generate` (with the GIL released when `release`), rethrowing the
    // callback's Python exception if it raised one.
    template <class F>
    auto run(F&& generate, bool release) {
        try {
            if (!release) return generate();
            nanobind::gil_scoped_release unlocked;
            return generate();
        } catch (const Failed&) {
            throw std::move(*failure_);
        }
    }

private:
    struct Failed {};
    nanobind::object callback_;
    std::optional<nanobind::python_error> failure_;
};

}  // namespace pineal::bindings
