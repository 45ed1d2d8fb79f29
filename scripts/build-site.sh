#!/usr/bin/env bash
# Builds the browser bundle into target/site/pkg (or $SITE_DIR/pkg): the hydrate crate compiled to wasm, wasm-bindgen glue,
# and the stylesheet, under content-hashed names (tracker-<hash>.js, tracker-<hash>_bg.wasm,
# tracker-<hash>.css; the server reads the name from pkg/bundle-name and serves them as immutable), each
# also precompressed (.br, .gz) for the browsers that accept it.
#   scripts/build-site.sh release   size-optimised: wasm-release profile (LTO, opt-level z, stripped),
#                                   then wasm-opt -Oz (npm binaryen, pinned; Debian's 108 breaks the bundle)
#   scripts/build-site.sh [debug]   what the tests use (fast to build, not optimised)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-debug}
site=${SITE_DIR:-target/site}
out=$site/pkg
tmp=$site/pkg.new
rm -rf "$tmp"
mkdir -p "$out" "$tmp"
if [ "$mode" = release ]; then
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
else
  cargo build -p frontend --lib --target wasm32-unknown-unknown
  wasm=target/wasm32-unknown-unknown/debug/frontend.wasm
fi
wasm-bindgen --target web --no-typescript --out-dir "$tmp" --out-name tracker "$wasm"
if [ "$mode" = release ]; then
  wasm_opt=$(scripts/tools.sh wasm-opt)
  "$wasm_opt" -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-reference-types --enable-sign-ext --enable-mutable-globals --enable-multivalue \
    "$tmp/tracker_bg.wasm" -o "$tmp/tracker_bg.opt.wasm"
  mv "$tmp/tracker_bg.opt.wasm" "$tmp/tracker_bg.wasm"
fi
cp style/main.css "$tmp/tracker.css"
# One hash over the whole bundle: a change to any file gives every file a new name.
hash=$(cat "$tmp/tracker_bg.wasm" "$tmp/tracker.js" "$tmp/tracker.css" | sha256sum | cut -c1-16)
name="tracker-$hash"
mv "$tmp/tracker_bg.wasm" "$tmp/${name}_bg.wasm"
mv "$tmp/tracker.js" "$tmp/$name.js"
mv "$tmp/tracker.css" "$tmp/$name.css"
# Precompressed copies, served by the server's static file service by Accept-Encoding.
for f in "$tmp/${name}_bg.wasm" "$tmp/$name.js" "$tmp/$name.css"; do
  gzip -9 -k -n "$f"
  if command -v brotli >/dev/null; then brotli -q "$([ "$mode" = release ] && echo 11 || echo 5)" -k "$f"; fi
done
printf '%s\n' "$name" > "$tmp/bundle-name"
rm -rf "$out"
mv "$tmp" "$out"
size() { stat -c %s "$1" | awk '{ printf "%.0f KiB", $1 / 1024 }'; }
echo "site built in $out: $name ($(size "$out/${name}_bg.wasm") wasm, $(size "$out/${name}_bg.wasm.gz") gzip$(
  [ -f "$out/${name}_bg.wasm.br" ] && echo ", $(size "$out/${name}_bg.wasm.br") brotli"))"
