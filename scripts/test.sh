#!/usr/bin/env bash
# The whole suite: on SQLite, then on PostgreSQL when reachable, then the browser tests.
# A run that collects no test fails (pytest exit code 5 is not masked).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"
# The database tests run in parallel, one worker per core (pytest-xdist), each file on one worker
# so that a file's expensive fixtures (a whole demo) are built once; browser tests run serially.
PARALLEL=(-n "${NONGTHON_TEST_WORKERS:-auto}" --dist loadfile)

echo "== Tests on SQLite"
env -u DATABASE_URL "$PYTEST" -q -m "not browser" "${PARALLEL[@]}"

PG_URL="${NONGTHON_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/nongthon}"
if .venv/bin/python scripts/pg_reachable.py "$PG_URL"; then
  echo "== Tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "$PYTEST" -q -m "not browser" -p no:cacheprovider "${PARALLEL[@]}"
else
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not reachable at $PG_URL, and CI must test on it." >&2
    exit 1
  fi
  echo "== PostgreSQL not reachable at $PG_URL: skipped (CI requires it)"
fi

echo "== Browser tests (Playwright, $(/usr/bin/chromium --version 2>/dev/null || echo 'no chromium'))"
env -u DATABASE_URL "$PYTEST" -q -m browser -p no:cacheprovider
