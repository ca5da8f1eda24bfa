#!/usr/bin/env bash
# Installs what pineal needs on a fresh Debian machine and builds it:
# Debian packages (as root), Python packages from requirements-dev.txt, and
# pineal itself (pip install, editable, so tests see the checkout).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(g++ librandom123-dev libgtest-dev)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "pineal setup: please install the Debian packages: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python3 -m pip install -q -r requirements-dev.txt
python3 -m pip install -q --no-build-isolation -e .
