#!/usr/bin/env bash
# Serves an empty district (no demo) whose first administrator exists, for the journey that
# sets a district up: serve-district.sh BINARY PORT DATA_DIR LOG ADMIN_PASSWORD.
# Runs in the foreground: callers start it with & and stop it.
set -euo pipefail
bin=$1 port=$2 data=$3 log=$4 password=$5
rm -rf "$data" && mkdir -p "$data"
printf '%s\n' "$password" | GRIDGOV_DATA_DIR="$data" "$bin" admin create \
  --username yunxi --district-code 360299 --district-name 云溪区 >"$log" 2>&1
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  GRIDGOV_DATA_DIR="$data" RUST_LOG=warn exec "$bin" >>"$log" 2>&1
