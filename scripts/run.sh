#!/usr/bin/env bash
# make run: set up, build (optimised bundle, release server), load the demo portfolio, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --run
scripts/build-site.sh release
cargo build --release -p server --bin tracker
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-target/site}
export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
target/release/tracker demo
exec target/release/tracker serve
