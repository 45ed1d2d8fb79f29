#!/usr/bin/env bash
# Builds the browser bundle into target/site/pkg: the hydrate crate compiled to wasm, wasm-bindgen glue,
# and the stylesheet. `scripts/build-site.sh release` uses the size-optimised wasm-release profile (make run);
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
# No wasm-opt: Debian's binaryen 108 produces a bundle that fails to instantiate with wasm-bindgen 0.2.130
# ("WebAssembly.Table.set(): Argument 1 is invalid"), with or without --enable-reference-types. The
# wasm-release profile (LTO, opt-level z) alone gives a working bundle.
cp style/main.css "$out/tracker.css"
echo "site built in $out ($(du -h "$out/tracker_bg.wasm" | cut -f1) wasm)"
