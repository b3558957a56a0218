#!/usr/bin/env bash
# The whole test suite: lint, migrations check, pytest on SQLite, then on PostgreSQL, then the
# quick benchmarks, then one summary line per stage. In CI (CI=true) a missing PostgreSQL or
# browser fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/claimkb}

FAILED=0
SUMMARY=()
# stage NAME COMMAND...: run one stage, remember one line for the summary, go on either way.
stage() {
  local name=$1 start=$SECONDS
  shift
  echo "== $name"
  if "$@"; then
    SUMMARY+=("PASS  $name ($((SECONDS - start)) s)")
  else
    SUMMARY+=("FAIL  $name ($((SECONDS - start)) s)")
    FAILED=1
  fi
}
summary() {
  echo
  echo "== summary"
  printf '%s\n' "${SUMMARY[@]}"
}
trap summary EXIT

# pytest on one database; "no test selected" (exit 5, e.g. `bash scripts/test.sh tests/one_file.py` with no
# browser test in it) is not a failure.
suite() {
  local url=$1 rc=0
  shift
  DATABASE_URL=$url $BIN/pytest "$@" || rc=$?
  [ "$rc" -eq 5 ] && rc=0
  return "$rc"
}
lint() { $BIN/ruff check . && $BIN/ruff format --check .; }
stage "lint (ruff)" lint
stage "migrations are up to date" env DATABASE_URL= $BIN/python manage.py makemigrations --check --dry-run

pg_up() { $BIN/python scripts/pg_ready.py "$PG_URL"; }
if ! pg_up && [ "${CI:-}" = "true" ] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
fi

if [ "${CI:-}" = "true" ] && [ ! -x /usr/bin/chromium ]; then
  echo "FAIL: /usr/bin/chromium is missing in CI; the browser tests cannot run." >&2
  SUMMARY+=("FAIL  browser: /usr/bin/chromium is missing")
  exit 1
fi

if [ "${CI:-}" = "true" ] && ! command -v sqlite3 >/dev/null; then
  echo "FAIL: the sqlite3 shell is missing in CI; the export benchmark needs it as reference." >&2
  SUMMARY+=("FAIL  benches: the sqlite3 shell is missing")
  exit 1
fi

stage "pytest on SQLite" suite "" -m "not browser" "$@"
stage "browser tests on SQLite" suite "" -m browser "$@"

if pg_up; then
  stage "pytest on PostgreSQL ($PG_URL)" suite "$PG_URL" -m "not browser" "$@"
  stage "browser tests on PostgreSQL" suite "$PG_URL" -m browser "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "FAIL: PostgreSQL is not reachable at $PG_URL; CI must test on PostgreSQL." >&2
  SUMMARY+=("FAIL  PostgreSQL: not reachable at $PG_URL")
  FAILED=1
else
  echo "!! PostgreSQL is not reachable at $PG_URL: the PostgreSQL run was SKIPPED."
  SUMMARY+=("SKIP  PostgreSQL: not reachable at $PG_URL")
fi

if [ -f bench/__main__.py ]; then
  stage "quick benchmarks" env DATABASE_URL= $BIN/python -m bench --quick
fi

exit $FAILED
