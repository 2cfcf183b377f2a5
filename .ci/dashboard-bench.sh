#!/usr/bin/env bash
# The dashboard's throughput (issue #18, item 3): dashboard-bench.sh demo|DATABASE_FILE [SECONDS]
# Serves a release build — a fresh demo district pinned at GRIDGOV_DEMO_NOW, or an existing
# SQLite database such as the intake bench's 1M cases (/tmp/gridgov-load/load-1000000.db)
# — and reads /dashboard, /api/v1/boards and /api/v1/kpis as the demo leader from 16
# keep-alive connections for SECONDS each (default 20, after gridgov-load's 3 s warm-up),
# printing one Markdown row per path. DASHBOARD_BENCH_SKIP_BUILD=1 reuses the binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?demo or a SQLite database file}
secs=${2:-20}
[ "${DASHBOARD_BENCH_SKIP_BUILD:-}" = 1 ] \
  || cargo build -q --profile server-release -p server --bin gridgov --bin gridgov-load
dir=$(mktemp -d /tmp/gridgov-dashboard-bench.XXXXXX)
port=${DASHBOARD_BENCH_PORT:-39192}
log=$dir/server.log
if [ "$data" = demo ]; then
  label=demo
  export GRIDGOV_DEMO=1 GRIDGOV_DEMO_NOW=${GRIDGOV_DEMO_NOW:-2026-11-25T10:00:00+08:00}
  export DATABASE_URL="sqlite://$dir/gridgov.db"
else
  label="$(basename "$data")"
  export DATABASE_URL="sqlite://$(realpath "$data")"
fi
GRIDGOV_DATA_DIR=$dir/data LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  RUST_LOG=warn target/server-release/gridgov >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
bash .ci/wait-healthy.sh "$port" "$log"
echo "| run | connections | load | answers/s | p50 ms | p99 ms | max ms | other answers |"
echo "|---|---|---|---|---|---|---|---|"
for path in /dashboard /api/v1/boards /api/v1/kpis; do
  target/server-release/gridgov-load "http://127.0.0.1:$port" 16 "$secs" --get "$path" --label "$label"
done
