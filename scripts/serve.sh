#!/usr/bin/env bash
# `make run` / `make dev`: the web server and the task worker side by side (README "The worker").
#
#   bash scripts/serve.sh <web server command and arguments>
#
# Starts `manage.py tasks_worker` (e-mail, SMS, the daily voucher job, the dashboards' refresh)
# and the web server, each in its own process group, with the caller's environment (make passes
# PLATFORM_PROVINCE and DATABASE_URL, so both serve the same province's database). When either
# stops, or on Ctrl-C / SIGTERM, both get SIGTERM — gunicorn finishes its requests, the worker
# its running jobs — and the script exits with the web server's status (1 if the worker died
# first). A production host runs the two as separate services instead (README "Running in
# production").
set -uo pipefail
set -m  # job control: each child its own process group, so a whole group can be stopped

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
[ "$#" -gt 0 ] || { echo "usage: $0 <web server command>" >&2; exit 2; }

"$PYTHON" "$REPO/manage.py" tasks_worker &
worker=$!
"$@" &
web=$!
echo "[serve] web server pid $web, task worker pid $worker"

stopping=0
stop() {
    [ "$stopping" = 1 ] && return
    stopping=1
    kill -TERM -- "-$web" "-$worker" 2>/dev/null || true
}
trap stop INT TERM

wait -n "$web" "$worker"
first=signal
if [ "$stopping" = 0 ]; then
    if kill -0 "$web" 2>/dev/null; then first=worker; else first=web; fi
    echo "[serve] the $first stopped: stopping the other" >&2
    stop
fi
wait "$web"
web_status=$?
wait "$worker"
if [ "$first" = worker ] && [ "$web_status" = 0 ]; then
    exit 1
fi
exit "$web_status"
