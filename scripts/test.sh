#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs every test: the Python lint (ruff,
# version pinned in requirements-dev.txt, rules in pyproject.toml), the C++
# unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (GoogleTest
# via ctest), and the Python tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# First, as it takes a second: a new finding fails the run before the builds.
python3 -m ruff check .

build=build/cpp-sanitize
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DPINEAL_BUILD_TESTS=ON -DPINEAL_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"

python3 -m pytest -q   # testpaths (pyproject.toml): tests/python and tests/crosssim
