#!/usr/bin/env bash
# Builds the browser bundle into target/site/pkg: the hydrate crate compiled to wasm, wasm-bindgen glue,
# and the stylesheet. `scripts/build-site.sh release` also optimises with wasm-opt (for make run);
# the default debug build is what the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-debug}
out=target/site/pkg
mkdir -p "$out"
if [ "$mode" = release ]; then
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
else
  cargo build -p frontend --lib --target wasm32-unknown-unknown
  wasm=target/wasm32-unknown-unknown/debug/frontend.wasm
fi
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name tracker "$wasm"
if [ "$mode" = release ] && command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    -o "$out/tracker_bg.wasm.opt" "$out/tracker_bg.wasm" && mv "$out/tracker_bg.wasm.opt" "$out/tracker_bg.wasm"
fi
cp style/main.css "$out/tracker.css"
echo "site built in $out ($(du -h "$out/tracker_bg.wasm" | cut -f1) wasm)"
