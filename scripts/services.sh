#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (the machine's own services), that Debian's
# Chromium is there for the browser tests, and Java with the Nu HTML checker (vnu.jar) for the HTML validity
# test. Idempotent: does nothing when all is already in place.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"

PGHOST=127.0.0.1
PGPORT=5432
REDIS_PORT=6379

# Root runs the commands directly; anyone else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q 2>/dev/null; then
  echo "Starting PostgreSQL..."
  if [ ! -d /etc/postgresql ] || [ -z "$(ls -A /etc/postgresql)" ]; then
    echo "PostgreSQL is not installed (apt-get install postgresql)." >&2
    exit 1
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -h "$PGHOST" -p "$PGPORT" -q && break; sleep 1; done
  pg_isready -h "$PGHOST" -p "$PGPORT" -q || { echo "PostgreSQL did not come up." >&2; exit 1; }
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "Starting Redis..."
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null || { echo "Redis did not come up." >&2; exit 1; }
fi

psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

# The database the test database is created next to (pytest-django connects here first).
psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'portal'" | grep -q 1 \
  || psql_admin -d postgres -c "CREATE DATABASE portal"
# Fuzzy name matching needs pg_trgm; in template1 every new (test) database has it from the start.
psql_admin -d portal -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
psql_admin -d template1 -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"

# Chromium for the browser tests; poppler-utils (pdftotext) to read the quote PDFs back; DejaVu for the PDFs.
if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  echo "Installing Debian's chromium, poppler-utils and fonts-dejavu-core for the tests..."
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null
fi

# Java and npm for the Nu HTML checker; vnu.jar itself from npm (`vnu-jar`, pinned in .ci/package.json) into
# .ci/node_modules/ (git ignores it), where tests/test_html_validity.py finds it.
if ! command -v java >/dev/null || ! command -v npm >/dev/null; then
  echo "Installing Debian's default-jre-headless and npm for the HTML validity test..."
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq default-jre-headless npm >/dev/null
fi
ci_dir="$(cd "$(dirname "$0")/../.ci" && pwd)"
if [ ! -f "$ci_dir/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  echo "Installing vnu-jar (the Nu HTML checker) into .ci/node_modules..."
  npm ci --prefix "$ci_dir" --no-audit --no-fund --loglevel=error >/dev/null
fi
