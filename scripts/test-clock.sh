#!/usr/bin/env bash
# Runs the already built test binaries again with the clock moved (Debian's faketime), to prove that no
# test depends on the day it runs: tests pass "today" in and never read the real clock. One shifted run
# could pass by luck, so several offsets are run, before and after the fixed test date.
#   scripts/test-clock.sh                 the default offsets
#   scripts/test-clock.sh +45d -365d      chosen offsets
# Chromium and chromedriver run with the real clock (they crash under libfaketime): the browser tests
# start chromedriver through a wrapper that removes the preload. PostgreSQL is another process.
set -euo pipefail
cd "$(dirname "$0")/.."
offsets=("$@")
[ "${#offsets[@]}" -gt 0 ] || offsets=(-30d +120d +400d +800d)
command -v faketime >/dev/null || { echo "faketime is required (scripts/setup.sh installs it)" >&2; exit 1; }
export TRACKER_SITE_ROOT=${TRACKER_SITE_ROOT:-$PWD/target/site}
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
# The test binaries of the last `cargo test --workspace --exclude frontend` build (nothing is rebuilt).
mapfile -t binaries < <(cargo test --workspace --exclude frontend --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(m["executable"])')
[ "${#binaries[@]}" -gt 0 ] || { echo "no test binaries found" >&2; exit 1; }
wrapper_dir=target/clock-shift
mkdir -p "$wrapper_dir"
real_driver=$(command -v chromedriver)
printf '#!/bin/sh\nunset LD_PRELOAD FAKETIME FAKETIME_SKIP_CMDS\nexec %s "$@"\n' "$real_driver" > "$wrapper_dir/chromedriver"
chmod +x "$wrapper_dir/chromedriver"
export CHROMEDRIVER="$PWD/$wrapper_dir/chromedriver"
# Only the calendar moves ("today"); the monotonic clock that timers and timeouts use stays real.
export FAKETIME_DONT_FAKE_MONOTONIC=1
failed=0
for offset in "${offsets[@]}"; do
  echo "== clock moved by $offset: $(faketime -f "$offset" date -u '+%Y-%m-%d')"
  for bin in "${binaries[@]}"; do
    # A time limit per binary: a hang fails the run instead of using up the CI's time. A binary that
    # hung (exit 124: about one run in six under libfaketime, an HTTP test idle on a timer; never seen
    # without it) is run again, at most twice; a failed test is never retried.
    status=124
    for attempt in 1 2 3; do
      status=0
      timeout 300 faketime -f "$offset" "$bin" --test-threads=2 -q || status=$?
      [ "$status" = 124 ] || break
      pkill -f -- "^$bin " 2>/dev/null || true   # timeout stops faketime, not the binary it started
      echo "timed out (attempt $attempt) with the clock moved by $offset: $bin" >&2
    done
    if [ "$status" != 0 ]; then
      echo "FAILED with the clock moved by $offset: $bin" >&2
      failed=1
    fi
  done
done
exit $failed
