#!/usr/bin/env bash
# Serves a fresh demo district for the journeys: serve-demo.sh BINARY PORT DATA_DIR LOG.
# GRIDGOV_DEMO_NOW (if set) pins the demo's start instant. Runs in the foreground: callers
# start it with & and stop it.
set -euo pipefail
bin=$1 port=$2 data=$3 log=$4
rm -rf "$data" && mkdir -p "$data"
# Journeys follow one case at a time: no spot checks drawn on the grid's own results
# (GRIDGOV_SPOT_CHECK_PERCENT; the spot check has its own integration story).
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" GRIDGOV_DEMO=1 GRIDGOV_SPOT_CHECK_PERCENT=0 \
  GRIDGOV_DATA_DIR="$data" RUST_LOG=warn exec "$bin" >"$log" 2>&1
