#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs every test: the C++ unit tests under
# AddressSanitizer + UndefinedBehaviorSanitizer (GoogleTest via ctest), and
# the Python tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

build=build/cpp-sanitize
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DPINEAL_BUILD_TESTS=ON -DPINEAL_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"

python3 -m pytest -q   # testpaths (pyproject.toml): tests/python and tests/crosssim
