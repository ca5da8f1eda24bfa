// The shared adaptive integrator of the nonlinear models (models/rkf45.hpp)
// against closed forms: accuracy on a decaying exponential and on a
// rotation, exact location of a threshold event, handling of an event at the
// very start of a step, and that a reset which re-arms the event cannot loop.
#include <gtest/gtest.h>

#include <cmath>

#include "models/rkf45.hpp"

using pineal::models::rkf45_advance;
using pineal::models::StateVec;
using pineal::models::Tolerance;

namespace {

Tolerance<2> tight() {
    Tolerance<2> t;
    t.rtol = 1e-10;
    t.atol = {1e-12, 1e-12};
    return t;
}

auto no_event = [](const StateVec<2>&) { return -1.0; };
auto no_reset = [](StateVec<2>&) {};

}  // namespace

TEST(Rkf45, RotationOverManyStepsStaysOnTheCircle) {
    // y0' = y1, y1' = -y0: y = (cos t, -sin t).
    StateVec<2> y{1.0, 0.0};
    double h = 0.1;
    auto rhs = [](const StateVec<2>& x, StateVec<2>& d) { d = {x[1], -x[0]}; };
    for (int k = 0; k < 1000; ++k) rkf45_advance(y, 0.1, h, tight(), rhs, no_event, no_reset);
    EXPECT_NEAR(y[0], std::cos(100.0), 1e-8);
    EXPECT_NEAR(y[1], -std::sin(100.0), 1e-8);
}

TEST(Rkf45, StiffDecayIsStableWithShrunkSubsteps) {
    // y' = -1000 y over one step of 0.1: e^{-100}, far below any tolerance.
    StateVec<2> y{1.0, 1.0};
    double h = 0.1;
    auto rhs = [](const StateVec<2>& x, StateVec<2>& d) { d = {-1000.0 * x[0], -x[1]}; };
    rkf45_advance(y, 0.1, h, tight(), rhs, no_event, no_reset);
    EXPECT_LT(std::abs(y[0]), 1e-10);
    EXPECT_NEAR(y[1], std::exp(-0.1), 1e-12);
}

TEST(Rkf45, EventIsLocatedAndTheRestOfTheStepIsIntegratedAfterTheReset) {
    // x' = 1 from 0 with threshold 0.0637 and reset to 0: after a step of 0.1,
    // x = 0.1 - 0.0637 (the time left after the crossing), y counts time.
    StateVec<2> y{0.0, 0.0};
    double h = 0.1;
    int resets = 0;
    auto rhs = [](const StateVec<2>&, StateVec<2>& d) { d = {1.0, 1.0}; };
    auto event = [](const StateVec<2>& x) { return x[0] - 0.0637; };
    auto reset = [&](StateVec<2>& x) {
        ++resets;
        x[0] = 0.0;
    };
    const int n = rkf45_advance(y, 0.1, h, tight(), rhs, event, reset);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(resets, 1);
    EXPECT_NEAR(y[0], 0.1 - 0.0637, 1e-9);  // location tolerance 1e-10 ms
    EXPECT_NEAR(y[1], 0.1, 1e-14);
}

TEST(Rkf45, SeveralEventsInOneStepAreAllCounted) {
    StateVec<2> y{0.0, 0.0};
    double h = 0.1;
    auto rhs = [](const StateVec<2>&, StateVec<2>& d) { d = {1.0, 0.0}; };
    auto event = [](const StateVec<2>& x) { return x[0] - 0.03; };
    auto reset = [](StateVec<2>& x) { x[0] = 0.0; };
    EXPECT_EQ(rkf45_advance(y, 0.1, h, tight(), rhs, event, reset), 3);  // at 0.03, 0.06, 0.09
    EXPECT_NEAR(y[0], 0.01, 1e-9);
}

TEST(Rkf45, StateAlreadyPastThresholdFiresAtTheStartOfTheStep) {
    StateVec<2> y{5.0, 0.0};
    double h = 0.1;
    auto rhs = [](const StateVec<2>&, StateVec<2>& d) { d = {0.0, 0.0}; };
    auto event = [](const StateVec<2>& x) { return x[0] - 1.0; };
    auto reset = [](StateVec<2>& x) { x[0] = -1.0; };
    EXPECT_EQ(rkf45_advance(y, 0.1, h, tight(), rhs, event, reset), 1);
    EXPECT_EQ(y[0], -1.0);
}
