#!/usr/bin/env bash
# Load test: gunicorn with 3 workers on loopback, wrk against the projects list of a
# synthetic dataset (100,000 projects by default) and, on the same server in the same run,
# against /health/ (a trivial Django view). Prints one JSON line per figure and fails when
# there were errors or the projects list made less than a third of the trivial view's
# requests per second.
#
#   scripts/loadtest.sh                      # 100,000 projects, 30 s per run
#   PROJECTS=10000 DURATION=10s scripts/loadtest.sh
#
# It works on a database of its own (a temporary SQLite file) and leaves yours alone.
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECTS=${PROJECTS:-100000}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-12}
PORT=${PORT:-8765}
WORKERS=3

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is needed (Debian: apt-get install wrk)." >&2
    exit 2
  fi
fi
make --no-print-directory install

WORK=$(mktemp -d)
export SQLITE_PATH="$WORK/load.sqlite3"
export DEBUG=false SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="loadtest-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
unset DATABASE_URL
PY=.venv/bin/python

$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
$PY manage.py synthesize --projects "$PROJECTS" 2>/dev/null
$PY manage.py shell -c "from django.db import connection; connection.cursor().execute('ANALYZE')"

SERVER_PID=
start_server() {
  .venv/bin/gunicorn config.wsgi --workers $WORKERS --bind "127.0.0.1:$PORT" --log-level warning \
    --error-logfile "$WORK/gunicorn.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "gunicorn did not start; see $WORK/gunicorn.log" >&2
  exit 1
}
stop_server() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# One wrk run; prints "requests_per_second errors".
measure() {
  local url=$1 out
  out=$(wrk --threads 2 --connections "$CONNECTIONS" --duration "$DURATION" --latency "$url")
  echo "$out" >>"$WORK/wrk.log"
  local rps errors non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  errors=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
  echo "$rps $(( ${non2xx:-0} + ${errors:-0} ))"
}

emit() {  # name url rps errors cache
  printf '{"figure": "load_requests_per_second", "database": "sqlite", "projects": %s, "page": "%s", "url": "%s", "workers": %s, "connections": %s, "duration": "%s", "page_cache": %s, "value": %s, "errors": %s}\n' \
    "$PROJECTS" "$1" "$2" "$WORKERS" "$CONNECTIONS" "$DURATION" "$5" "$3" "$4"
}

start_server
read -r trivial_rps trivial_errors < <(measure "http://127.0.0.1:$PORT/health/")
emit "trivial view" /health/ "$trivial_rps" "$trivial_errors" true
read -r list_rps list_errors < <(measure "http://127.0.0.1:$PORT/projects/")
emit "projects list" /projects/ "$list_rps" "$list_errors" true
stop_server

# The same page with the page cache off, for the record (every request renders).
TRACKER_PAGE_CACHE=false start_server
read -r raw_rps raw_errors < <(measure "http://127.0.0.1:$PORT/projects/")
emit "projects list" /projects/ "$raw_rps" "$raw_errors" false
stop_server

ratio=$(awk -v a="$list_rps" -v b="$trivial_rps" 'BEGIN {printf "%.2f", a / b}')
printf '{"figure": "load_ratio_projects_list_to_trivial_view", "projects": %s, "value": %s, "target": 0.33}\n' "$PROJECTS" "$ratio"
if [ "$list_errors" != 0 ] || [ "$trivial_errors" != 0 ] || [ "$raw_errors" != 0 ]; then
  echo "errors during the load test (see wrk output above)" >&2
  exit 1
fi
awk -v r="$ratio" 'BEGIN {exit !(r >= 1/3)}' || { echo "projects list below a third of the trivial view" >&2; exit 1; }
