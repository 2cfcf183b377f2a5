#!/usr/bin/env bash
# Waits up to 60 s for the server on 127.0.0.1:PORT to answer /healthz: wait-healthy.sh PORT LOG.
set -euo pipefail
port=$1 log=$2
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "the server on port $port did not become healthy:" >&2
cat "$log" >&2
exit 1
