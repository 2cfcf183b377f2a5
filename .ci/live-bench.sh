#!/usr/bin/env bash
# Live updates: how long a case step takes to reach every open live stream, on a release
# server with the demo district (docs/BENCHMARKS.md, "Live updates").
#   bash .ci/live-bench.sh [SUBSCRIBERS ...]     default: 1 1000 10000
# Builds the release server and the bench client, serves a fresh demo on 127.0.0.1, runs
# the bench once per subscriber count (20 steps each) and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
# Both ends of every stream are on this machine: each process needs one descriptor per
# stream (10,000 streams fit under a hard limit of 20,000).
ulimit -n "$(ulimit -Hn)"
cargo build -q --profile server-release -p server --bin gridgov --bin gridgov-live-bench
# LIVE_BENCH_SERVER: another build of the server to compare (e.g. an earlier commit).
bin=${LIVE_BENCH_SERVER:-target/server-release/gridgov}
port=${LIVE_BENCH_PORT:-39190}
data=$(mktemp -d)
log=$data.log
GRIDGOV_DEMO_NOW=${GRIDGOV_DEMO_NOW:-2026-11-25T10:00:00+08:00} \
  bash .ci/serve-demo.sh "$bin" "$port" "$data" "$log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data" "$log"' EXIT
bash .ci/wait-healthy.sh "$port" "$log"
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1 1000 10000)
for n in "${counts[@]}"; do
  target/server-release/gridgov-live-bench "http://127.0.0.1:$port" "$n" 20 --pid "$server"
done
