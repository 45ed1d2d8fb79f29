#!/usr/bin/env bash
# make test: every test. Unit tests, database tests on SQLite and PostgreSQL, HTTP tests against the
# spawned server, and browser tests in headless Chromium. Debug builds only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/ensure-postgres.sh
command -v chromium >/dev/null && command -v chromedriver >/dev/null \
  || { echo "chromium and chromedriver are required for the browser tests" >&2; exit 1; }
scripts/build-site.sh debug
export TRACKER_SITE_ROOT="$PWD/target/site"
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
status=0
cargo test --workspace --exclude frontend --no-fail-fast -- --test-threads=2 || status=$?
# The benchmarks are not run here (their figures are in the issue notes), but they must still build.
cargo test --workspace --exclude frontend --benches --no-run || status=$?
# The same test binaries again with the clock moved to several dates: no test may depend on today.
scripts/test-clock.sh || status=$?
exit $status
