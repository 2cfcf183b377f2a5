#!/usr/bin/env bash
# A staff page's first load on a slow 4G network (docs/BENCHMARKS.md, "Staff app"): builds
# the release site, compresses its files once, serves a fresh demo on 127.0.0.1 and runs
# end2end/tests/weight.spec.ts in Chromium (DevTools' "Slow 4G": 1.6 Mbit/s, 562.5 ms per
# request, empty cache) for /dashboard (the leader) and /inbox (the command centre), then
# each page again with what the browser kept (hashed names are not asked for again).
#   bash .ci/weight-bench.sh            prints each page's time to interactive and bytes
# WEIGHT_BENCH_SKIP_BUILD=1 uses the release build already in target/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
if [ -z "${WEIGHT_BENCH_SKIP_BUILD:-}" ]; then
  cargo leptos build --release --split
fi
bin=target/server-release/gridgov
"$bin" precompress target/site
port=${WEIGHT_BENCH_PORT:-39194}
data=$(mktemp -d)
log=$data/server.log
bash .ci/serve-demo.sh "$bin" "$port" "$data/data" "$log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
bash .ci/wait-healthy.sh "$port" "$log"
cd end2end
GRIDGOV_WEIGHT=1 BASE_URL="http://127.0.0.1:$port" npx playwright test weight.spec.ts
echo "| page | interactive after | bytes until then | requests until then | all drawn after | bytes until then |"
echo "|---|---|---|---|---|---|"
node -e 'const s = (ms) => ms ? (ms / 1000).toFixed(1) + " s" : "—"; const b = (n) => n ? n.toLocaleString("en") : "—";
for (const w of require("./test-results/weight.json")) console.log(`| ${w.page} | ${s(w.ms)} | ${b(w.bytes)} | ${w.requests} | ${s(w.complete_ms)} | ${b(w.complete_bytes)} |`)'
