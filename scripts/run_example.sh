#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs the main example: the Vogels-Abbott
# benchmark on the native engine (arguments are passed on, e.g. COBA --tstop 500).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 examples/va_benchmark.py "$@"
