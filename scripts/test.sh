#!/usr/bin/env bash
# The whole test suite: lint, migrations check, pytest on SQLite, then on PostgreSQL, then the
# quick benchmarks. In CI (CI=true) a missing PostgreSQL or browser fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/claimkb}

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== migrations are up to date"
DATABASE_URL= $BIN/python manage.py makemigrations --check --dry-run >/dev/null

pg_up() { $BIN/python scripts/pg_ready.py "$PG_URL"; }
if ! pg_up && [ "${CI:-}" = "true" ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
fi

if [ "${CI:-}" = "true" ] && [ ! -x /usr/bin/chromium ]; then
  echo "FAIL: /usr/bin/chromium is missing in CI; the browser tests cannot run." >&2
  exit 1
fi

if [ "${CI:-}" = "true" ] && ! command -v sqlite3 >/dev/null; then
  echo "FAIL: the sqlite3 shell is missing in CI; the export benchmark needs it as reference." >&2
  exit 1
fi

echo "== pytest on SQLite"
DATABASE_URL= $BIN/pytest "$@"

if pg_up; then
  echo "== pytest on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $BIN/pytest "$@"
else
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: PostgreSQL is not reachable at $PG_URL; CI must test on PostgreSQL." >&2
    exit 1
  fi
  echo "!! PostgreSQL is not reachable at $PG_URL: the PostgreSQL run was SKIPPED."
fi

if [ -f bench/__main__.py ]; then
  echo "== quick benchmarks"
  DATABASE_URL= $BIN/python -m bench --quick
fi
