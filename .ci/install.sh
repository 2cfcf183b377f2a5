#!/usr/bin/env bash
# Installs what gridgov needs on a fresh Debian machine, skipping whatever is already there
# in the right version: Debian packages (Chromium, PostgreSQL), the wasm32 target,
# cargo-leptos, the wasm-bindgen CLI matching Cargo.lock, npm packages (Leaflet, binaryen's
# wasm-opt, Playwright) and the vendored browser libraries under public/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs rustc 1.96
say() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# --- Debian packages ---------------------------------------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v curl >/dev/null || missing+=(curl)
# Chinese glyphs for the browser tests and screenshots.
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Rust tools ---------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi
# cargo-leptos would download wasm-bindgen itself (impossible offline): install the CLI
# whose version matches the library in Cargo.lock exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  say "cargo install wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# --- npm: browser libraries, wasm-opt, Playwright -------------------------------------
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -f node_modules/leaflet/dist/leaflet.js ] \
   || [ ! -f node_modules/uplot/dist/uPlot.iife.min.js ] || [ ! -x node_modules/.bin/tsc ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci (leaflet, uplot, binaryen, typescript)"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -d end2end/node_modules/@playwright/test ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "npm ci in end2end (Playwright; the browser is Debian's chromium)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# Served by gridgov itself from public/vendor (copied into the site by cargo-leptos).
mkdir -p public/vendor/leaflet
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
      node_modules/leaflet/dist/images public/vendor/leaflet/
# uPlot draws the dashboard's trends (bars and a line, a live legend): ≈ 20 KB brotli,
# where ECharts' smallest ready build took 183 KB. A checkout that had ECharts drops it.
rm -rf public/vendor/echarts
mkdir -p public/vendor/uplot
cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css public/vendor/uplot/

# --- PyPI: schemathesis, the OpenAPI fuzzer of .ci/fuzz.sh, in a venv of its own -------
FUZZ_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/gridgov/fuzz-venv-$(sha256sum .ci/requirements-fuzz.txt | cut -c1-12)"
if [ ! -x "$FUZZ_VENV/bin/schemathesis" ]; then
  say "pip install schemathesis (pinned in .ci/requirements-fuzz.txt) into $FUZZ_VENV"
  python3 -m venv "$FUZZ_VENV"
  "$FUZZ_VENV/bin/pip" install -q --disable-pip-version-check -r .ci/requirements-fuzz.txt
fi
