#!/usr/bin/env bash
# Builds cdask and runs the whole test suite (CTest). Extra arguments go to ctest,
# e.g. `bash scripts/test.sh -L unit` or `-R pipelines`.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j2 "$@"
