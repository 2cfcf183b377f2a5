#!/usr/bin/env bash
# Intake under load: residents' reports per second and their latency, on a release server
# whose database already holds CASES cases (docs/BENCHMARKS.md, "Intake under load").
#   bash .ci/load-bench.sh sqlite|postgres [CASES] [SECONDS]     defaults: 1000000 60
# Fills the database once with gridgov-bench (kept in $LOAD_BENCH_DIR, default
# /tmp/gridgov-load, or the PostgreSQL database gridgov_load at $LOAD_BENCH_POSTGRES,
# default postgres://gridgov@127.0.0.1:55432), serves it on 127.0.0.1 and runs
# gridgov-load at 16 and 64 connections, spread over the grids and all into one grid,
# then the bare-insert floor on the same database, then case steps at 16 connections.
# LOAD_BENCH_SERVER: another build of the server to compare (e.g. an earlier commit's).
# LOAD_BENCH_SKIP_BUILD=1: use the binaries already in target/server-release.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:?sqlite or postgres}
cases=${2:-1000000}
secs=${3:-60}
dir=${LOAD_BENCH_DIR:-/tmp/gridgov-load}
mkdir -p "$dir"
case $engine in
  sqlite) url="sqlite://$dir/load-$cases.db" ;;
  postgres)
    base=${LOAD_BENCH_POSTGRES:-postgres://gridgov@127.0.0.1:55432}
    psql "$base/postgres" -qtc "SELECT 1 FROM pg_database WHERE datname = 'gridgov_load_$cases'" | grep -q 1 \
      || psql "$base/postgres" -qc "CREATE DATABASE gridgov_load_$cases"
    url="$base/gridgov_load_$cases" ;;
  *) echo "sqlite or postgres" >&2; exit 2 ;;
esac
[ -n "${LOAD_BENCH_SKIP_BUILD:-}" ] \
  || cargo build -q --profile server-release -p server --bin gridgov --bin gridgov-bench --bin gridgov-load
GRIDGOV_BENCH_FILL_ONLY=1 target/server-release/gridgov-bench "$url" "$cases"
bin=${LOAD_BENCH_SERVER:-target/server-release/gridgov}
port=${LOAD_BENCH_PORT:-39191}
log=$dir/server.log
# One address sends every report: the residents' rate limit is lifted for the bench.
DATABASE_URL=$url GRIDGOV_DATA_DIR=$dir/data GRIDGOV_REPORT_LIMIT=1000000000/60 \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  "$bin" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
bash .ci/wait-healthy.sh "$port" "$log"
label="$engine, $cases cases"
echo "| run | connections | load | answers/s | p50 ms | p99 ms | max ms | other answers |"
echo "|---|---|---|---|---|---|---|---|"
load=target/server-release/gridgov-load
$load "http://127.0.0.1:$port" 16 "$secs" --label "$label" --floor "$url"
$load "http://127.0.0.1:$port" 16 "$secs" --one-grid --label "$label"
$load "http://127.0.0.1:$port" 64 "$secs" --label "$label"
$load "http://127.0.0.1:$port" 64 "$secs" --one-grid --label "$label"
# Case steps: the command centre files, triages, dispatches, verifies and rates; the
# department acknowledges and resolves (each request timed; per-step figures on stderr).
$load "http://127.0.0.1:$port" 16 "$secs" --steps --label "$label"
$load "http://127.0.0.1:$port" 16 "$secs" --steps --one-grid --label "$label"
