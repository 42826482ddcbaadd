#!/usr/bin/env bash
# Quick start, as root on Debian 12: installs the packages fedgate needs, builds it, and runs
# one gateway node in the foreground. With nothing configured the node initialises its own
# private PostgreSQL cluster and a development CA under the state directory.
#   deploy/quickstart.sh [extra 'fedgate run' options]
# Environment: FEDGATE_STATE_DIR (default /var/lib/fedgate-quickstart),
#              FEDGATE_ADMIN_LISTEN (default 127.0.0.1:8280).
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DFEDGATE_TESTS=OFF \
  -DFEDGATE_BENCH=OFF >/dev/null
cmake --build build/release -j "$(nproc)" --target fedgate

state=${FEDGATE_STATE_DIR:-/var/lib/fedgate-quickstart}
admin=${FEDGATE_ADMIN_LISTEN:-127.0.0.1:8280}
echo "quickstart: state in $state; Ctrl-C stops the node (and its embedded database)"
exec build/release/gateway/app/fedgate run --state-dir "$state" --admin-listen "$admin" "$@"
