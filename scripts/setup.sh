#!/usr/bin/env bash
# Installs what the project needs on a fresh machine of this kind, and nothing that is already there:
# the wasm32 target, wasm-bindgen-cli at exactly the version in Cargo.lock (built from crates.io),
# and Debian's chromium and chromium-driver (browser tests) and faketime (the suite with the clock moved).
# Idempotent.
#   scripts/setup.sh          everything (for make test)
#   scripts/setup.sh --run    without the browser (for make run)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=1
[ "${1:-}" = "--run" ] && want_browser=0

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen CLI must match the wasm-bindgen crate version exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then echo "cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; fi
if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$wb_version" ]; then
  log "installing wasm-bindgen-cli $wb_version from crates.io (several minutes, once)"
  # Without --locked: one of its locked dependency versions is not on the registry mirror.
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

packages=()
# Precompressed bundle files (.br) for the static file service.
command -v brotli >/dev/null || packages+=(brotli)
if [ "$want_browser" = 1 ]; then
  command -v chromium >/dev/null || packages+=(chromium)
  command -v chromedriver >/dev/null || packages+=(chromium-driver)
  # The suite is run again with the clock moved (scripts/test-clock.sh).
  command -v faketime >/dev/null || packages+=(faketime)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  log "installing Debian packages: ${packages[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
log "ok"
