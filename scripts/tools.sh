#!/usr/bin/env bash
# Prints the path of a pinned tool from the npm registry, installing it under target/tools on first use.
#   scripts/tools.sh wasm-opt     binaryen's wasm-opt (npm package binaryen, pinned below)
#   scripts/tools.sh axe-core     axe.min.js of axe-core (injected into pages by the accessibility browser test)
set -euo pipefail
cd "$(dirname "$0")/.."
BINARYEN_VERSION=132.0.0
AXE_CORE_VERSION=4.14.1
prefix=target/tools
case "${1:-}" in
  wasm-opt)
    bin="$prefix/node_modules/.bin/wasm-opt"
    if [ ! -x "$bin" ] || ! grep -q "\"version\": \"$BINARYEN_VERSION\"" "$prefix/node_modules/binaryen/package.json" 2>/dev/null; then
      echo "[tools] installing binaryen@$BINARYEN_VERSION (wasm-opt) from the npm registry" >&2
      mkdir -p "$prefix"
      npm install --prefix "$prefix" --no-save --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >&2
    fi
    echo "$PWD/$bin"
    ;;
  axe-core)
    file="$prefix/axe/node_modules/axe-core/axe.min.js"
    if [ ! -f "$file" ] || ! grep -q "\"version\": \"$AXE_CORE_VERSION\"" "$prefix/axe/node_modules/axe-core/package.json" 2>/dev/null; then
      echo "[tools] installing axe-core@$AXE_CORE_VERSION from the npm registry" >&2
      mkdir -p "$prefix/axe"
      npm install --prefix "$prefix/axe" --no-save --no-audit --no-fund "axe-core@$AXE_CORE_VERSION" >&2
    fi
    echo "$PWD/$file"
    ;;
  *) echo "usage: scripts/tools.sh wasm-opt|axe-core" >&2; exit 2 ;;
esac
