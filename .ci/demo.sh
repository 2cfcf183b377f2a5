#!/usr/bin/env bash
# README command 1: install what is needed, build the release, and serve the demo district
# at http://127.0.0.1:3000 (SQLite in ./data unless DATABASE_URL says otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
cargo leptos build --release --split
# The WASM, scripts and styles compressed once at the highest levels (served to browsers
# that accept brotli or gzip); rewritten only when a file changed.
target/server-release/gridgov precompress target/site
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export GRIDGOV_DEMO=1
echo "gridgov: http://${LEPTOS_SITE_ADDR} — demo accounts admin / leader / center / worker / dept, password Demo@2026"
exec target/server-release/gridgov
