#!/usr/bin/env bash
# On a fresh Debian machine: installs what is missing, builds cdaskc, and runs an example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
mkdir -p build/example
cd build/example
../cdaskc ../../examples/seed_big_ones.lua -o big_ones --explain
time ./big_ones
