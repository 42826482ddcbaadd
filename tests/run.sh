#!/usr/bin/env bash
# The test command: installs what the tests need (PostgreSQL server, Prosody, ejabberd,
# Kamailio, unbound, sipsak, slixmpp, clang for fuzzing), builds with AddressSanitizer and
# UBSan, runs every test with ctest, then runs each fuzz target for a bounded time.
#   tests/run.sh                  everything (what CI runs)
#   tests/run.sh -L unit          only one label (unit, integration, interop, fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [[ $(id -u) -eq 0 ]]; then
  deploy/install-deps.sh --test
else
  deploy/install-deps.sh --test || { echo "run as root to install packages" >&2; exit 1; }
fi

jobs=${FEDGATE_JOBS:-$(nproc)}
label_args=("$@")

build=build/asan
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Asan -DFEDGATE_WERROR=ON >/dev/null
cmake --build "$build" -j "$jobs"

run_fuzz=1
if ((${#label_args[@]})) && [[ " ${label_args[*]} " != *" fuzz "* ]]; then
  run_fuzz=0
fi

status=0
if ((${#label_args[@]} == 0)) || [[ " ${label_args[*]} " != *" fuzz "* ]]; then
  (cd "$build" && ctest -j "$jobs" --output-on-failure --timeout 900 "${label_args[@]}") || status=$?
fi

if ((run_fuzz)); then
  fuzz=build/fuzz
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFEDGATE_FUZZ=ON -DFEDGATE_TESTS=OFF -DFEDGATE_BENCH=OFF >/dev/null
  cmake --build "$fuzz" -j "$jobs" --target fuzz_all
  (cd "$fuzz" && ctest -j "$jobs" --output-on-failure -L fuzz) || status=$?
fi
exit $status
