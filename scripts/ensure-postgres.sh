#!/usr/bin/env bash
# Makes sure PostgreSQL answers at 127.0.0.1:5432 (starting the local cluster if it is down) and fails
# loudly if it cannot: database tests run on PostgreSQL as well as SQLite, never skipped.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_isready >/dev/null; then
  echo "PostgreSQL client tools are missing: the database tests need PostgreSQL at 127.0.0.1:5432" >&2
  exit 1
fi
if ! ready; then
  echo "[postgres] not answering, starting the local cluster"
  if [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
if ! ready; then
  echo "PostgreSQL is not available at 127.0.0.1:5432: the database tests need it (they are not skipped)" >&2
  exit 1
fi
echo "[postgres] ready"
