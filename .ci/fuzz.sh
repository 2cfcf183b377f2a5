#!/usr/bin/env bash
# The OpenAPI fuzz run (issue #15): schemathesis generates requests for every operation of
# /api/v1/openapi.json — valid and invalid, from the schema — without a session and with
# the session of each demo role, against a running demo server of its own, and fails on any
# 5xx. Bounded in time: FUZZ_SECONDS per role (default 30); FUZZ_SEED repeats a run.
# Usage: fuzz.sh PORT   (the server must serve the demo: its accounts log in here)
set -euo pipefail
port=$1
secs=${FUZZ_SECONDS:-30}
seed=${FUZZ_SEED:-20261205}
venv="${XDG_CACHE_HOME:-$HOME/.cache}/gridgov/fuzz-venv-$(sha256sum "$(dirname "$0")/requirements-fuzz.txt" | cut -c1-12)"
base="http://127.0.0.1:$port"
work=$(mktemp -d /tmp/gridgov-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"   # schemathesis keeps its example database in the working directory
roles=(worker gl001001 center dept leader admin)
# Every session first: fuzzing the login endpoint spends the address's login allowance.
declare -A session
for role in "${roles[@]}"; do
  curl -sf -c "jar-$role" -H 'content-type: application/json' -H "Origin: $base" \
    -d "{\"username\":\"$role\",\"password\":\"Demo@2026\"}" "$base/api/v1/login" >/dev/null
  session[$role]=$(awk '$6 == "gridgov_session" {print $7}' "jar-$role")
done
failed=()
# Fewer than five requests a second means the fuzzer did not really run.
for role in anonymous "${roles[@]}"; do
  headers=(-H "Origin: $base")
  if [ "$role" != anonymous ]; then
    headers+=(-H "Cookie: gridgov_session=${session[$role]}")
  fi
  echo "== fuzz as $role (${secs} s, seed $seed)"
  # Left out: the endless event stream, and the calls that would end the run's own session.
  status=0
  "$venv/bin/schemathesis" run "$base/api/v1/openapi.json" "${headers[@]}" \
      --checks not_a_server_error --max-time "$secs" --workers 2 --request-timeout 20 \
      --seed "$seed" --generation-database none --suppress-health-check all --warnings off \
      --exclude-path /stream --exclude-path /logout --exclude-path /me/password \
      > "$role.log" 2>&1 || status=$?
  generated=$(grep -oE '[0-9]+ generated' "$role.log" | tail -n 1 | cut -d' ' -f1)
  grep -E "generated|passed|failed" "$role.log" | tail -n 2 || true
  # A server error fails the run; so does a run that hardly sent anything. A crash of the
  # fuzzer's own generator (seen once: a CPython `ast` recursion error inside Hypothesis)
  # is reported and the requests it did send still count.
  if grep -q "Server error" "$role.log"; then
    failed+=("$role")
    grep -v '^.\{400\}' "$role.log" | tail -n 60
  elif [ "${generated:-0}" -lt $(( secs * 5 )) ]; then
    failed+=("$role (only ${generated:-0} requests)")
    grep -v '^.\{400\}' "$role.log" | tail -n 40
  elif [ "$status" -ne 0 ]; then
    echo "warning: schemathesis reported an error of its own as $role; no server error in ${generated} requests"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: server errors (or too few requests) as ${failed[*]}" >&2
  exit 1
fi
