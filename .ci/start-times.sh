#!/usr/bin/env bash
# Runs journeys against demos started at N instants spread over one day, each on a fresh
# database, to find tests that depend on what the demo happens to generate at a given time.
#   bash .ci/start-times.sh [N] [playwright args…]
# Default: 20 start times, the leaders' live journey. Needs a debug build (cargo leptos build --split);
# GRIDGOV_BIN names another binary built by cargo-leptos.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}; shift || true
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(tests/leaders.spec.ts -g "resolved by a department")
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
work=$(mktemp -d /tmp/gridgov-times.XXXXXX)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
base=$(date -u -d "2026-11-23T00:00:00+08:00" +%s)
failed=0
for i in $(seq 0 $((n - 1))); do
  at=$(date -u -d "@$((base + i * 86400 / n + i * 7919 % 3600))" +%Y-%m-%dT%H:%M:%SZ)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  GRIDGOV_DEMO_NOW=$at bash .ci/serve-demo.sh "${GRIDGOV_BIN:-target/debug/gridgov}" "$port" "$work/data" "$work/server.log" &
  server=$!
  bash .ci/wait-healthy.sh "$port" "$work/server.log"
  if (cd end2end && BASE_URL="http://127.0.0.1:$port" npx playwright test "${args[@]}" >"$work/run.log" 2>&1); then
    echo "ok      GRIDGOV_DEMO_NOW=$at"
  else
    echo "FAILED  GRIDGOV_DEMO_NOW=$at"; tail -n 30 "$work/run.log"; failed=$((failed + 1))
  fi
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=
done
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
