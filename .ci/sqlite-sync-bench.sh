#!/usr/bin/env bash
# What SQLite's durability costs (issue #22): residents' reports through the HTTP API at
# 16 connections for 30 s with GRIDGOV_SQLITE_SYNC=normal and =full, each on a fresh demo
# district — spread over its grids, then all into one grid — and GET /livez in the same
# run as the floor (HTTP alone, no database).
#   bash .ci/sqlite-sync-bench.sh target/server-release/gridgov
# Needs wrk (apt-get install wrk). Listens on 127.0.0.1 only; removes its folders.
set -euo pipefail
bin=$(realpath "${1:-target/server-release/gridgov}")
secs=${SECS:-30}
root=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$root"' EXIT
for mode in normal full; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  GRIDGOV_DATA_DIR="$root/$mode" GRIDGOV_DEMO=1 GRIDGOV_DEMO_NOW=2026-11-25T10:00:00+08:00 \
    GRIDGOV_SQLITE_SYNC=$mode GRIDGOV_REPORT_LIMIT=100000000/1 RUST_LOG=warn \
    LEPTOS_SITE_ADDR=127.0.0.1:$port "$bin" > "$root/$mode.log" 2>&1 &
  server=$!
  bash "$(dirname "$0")/wait-healthy.sh" "$port" "$root/$mode.log"
  echo "== GRIDGOV_SQLITE_SYNC=$mode: floor, GET /livez"
  wrk -t2 -c16 -d"${secs}s" --latency "http://127.0.0.1:$port/livez" | grep -E "Requests/sec|50%|99%"
  grids=$(python3 -c "import sqlite3,sys; print(','.join(repr(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT code FROM territory_nodes WHERE level='grid'\")))" "$root/$mode/gridgov.db")
  for spread in "$grids" "'360199001001001'"; do
    cat > "$root/post.lua" <<LUA
local grids = { $spread }
local function part(name, value)
  return "--bench\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end
request = function()
  local body = part("grid", grids[math.random(#grids)]) .. part("category", "sanitation")
    .. part("description", "小区南门垃圾桶满溢三天无人清运") .. "--bench--\r\n"
  return wrk.format("POST", nil, { ["Content-Type"] = "multipart/form-data; boundary=bench" }, body)
end
LUA
    echo "== GRIDGOV_SQLITE_SYNC=$mode: POST /api/v1/public/reports over $(echo "$spread" | tr ',' '\n' | wc -l) grid(s)"
    wrk -t2 -c16 -d"${secs}s" --latency -s "$root/post.lua" "http://127.0.0.1:$port/api/v1/public/reports" \
      | grep -E "Requests/sec|50%|99%|Non-2xx"
  done
  kill "$server"; wait "$server" 2>/dev/null || true
done
