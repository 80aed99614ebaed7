#!/usr/bin/env bash
# stack.sh — the whole csdesk stack on one machine: a private PostgreSQL,
# portal.fcgi and console.fcgi pools, and nginx in front.
#
#   stack.sh start VARDIR HTTP_PORT [WORKERS]   start (or reuse) everything
#   stack.sh stop VARDIR                        stop everything
#   stack.sh workers VARDIR WORKERS             restart the two pools only, with
#                                               WORKERS each (a bench's rows that
#                                               need another count)
#
# VARDIR holds the cluster (pg/), sockets and pids (run/) and logs (log/).
# The database port is chosen once and kept in VARDIR/pg.port, so a second
# start reuses the same cluster and the same CSDESK_DB.
set -eu
. "$(dirname "$0")/lib.sh"

cmd=${1:?usage: stack.sh start VARDIR HTTP_PORT [WORKERS] | stop VARDIR}
var=${2:?var directory}
build=${CSDESK_BUILD:-$top/build}

# stop_pid PIDFILE [SECONDS]: SIGTERM, then SIGKILL after SECONDS (10).
# A pool gets 35: it may take 30 to finish the requests in flight.
stop_pid() {
	local f=$1 pid i
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	if kill -TERM "$pid" 2>/dev/null; then
		for i in $(seq 1 $((${2:-10} * 10))); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$f"
}

stop_all() {
	stop_pid "$var/run/batch.pid"
	stop_pid "$var/run/nginx.pid"
	stop_pid "$var/run/portal.pid" 35
	stop_pid "$var/run/console.pid" 35
	"$top/scripts/pg.sh" stop "$var/pg"
}

start_pool() {
	local name=$1 role=$2
	CSDESK_DB="$base user=$role" setsid "$build/$name.fcgi" \
		--listen "$var/run/$name.sock" --workers "$workers" --socket-mode 0660 \
		>>"$var/log/$name.log" 2>&1 </dev/null &
	echo $! >"$var/run/$name.pid"
	wait_for "$var/run/$name.sock" || { tail -5 "$var/log/$name.log" >&2; exit 1; }
	# Only the web server's group may connect, as in production.
	chgrp "$(web_group)" "$var/run/$name.sock"
}

case "$cmd" in
stop)
	stop_all
	exit 0
	;;
workers)
	workers=${3:?workers}
	base="host=127.0.0.1 port=$(cat "$var/pg.port") dbname=csdesk"
	export CSDESK_DATADIR=$top
	# The port nginx listens on, as start gave it: links in e-mail.
	http_port=$(sed -n 's/^[[:space:]]*listen 127.0.0.1:\([0-9]*\);/\1/p' "$var/run/nginx.conf")
	export CSDESK_BASE_URL=${CSDESK_BASE_URL:-http://127.0.0.1:$http_port}
	export CSDESK_MAIL_DIR=${CSDESK_MAIL_DIR:-$var/mail}
	stop_pid "$var/run/portal.pid" 35
	stop_pid "$var/run/console.pid" 35
	rm -f "$var/run/portal.sock" "$var/run/console.sock"
	start_pool portal csdesk_portal
	start_pool console csdesk_console
	exit 0
	;;
start) ;;
*)
	echo "usage: stack.sh start VARDIR HTTP_PORT [WORKERS] | stop VARDIR |" \
		"workers VARDIR WORKERS" >&2
	exit 2
	;;
esac

http_port=${3:?http port}
workers=${4:-2}
mkdir -p "$var/run" "$var/log" "$var/mail"
chmod 755 "$var" "$var/run"
# Anything left from a run that was killed without stopping.
stop_pid "$var/run/batch.pid"
stop_pid "$var/run/nginx.pid"
stop_pid "$var/run/portal.pid"
stop_pid "$var/run/console.pid"

if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then
	echo "port $http_port is already in use: stop what listens there (make stop?)" >&2
	exit 1
fi

[ -f "$var/pg.port" ] || free_port >"$var/pg.port"
pgport=$(cat "$var/pg.port")
"$top/scripts/pg.sh" start "$var/pg" "$pgport"
base="host=127.0.0.1 port=$pgport dbname=csdesk"
"$(pg_bin)/psql" -Atq "host=127.0.0.1 port=$pgport user=csdesk dbname=postgres" \
	-c "SELECT 1 FROM pg_database WHERE datname = 'csdesk'" | grep -q 1 ||
	"$(pg_bin)/createdb" -h 127.0.0.1 -p "$pgport" -U csdesk csdesk

export CSDESK_DATADIR=$top
# Links in e-mail point here; mail goes to files unless CSDESK_SMTP_URL is set.
export CSDESK_BASE_URL=${CSDESK_BASE_URL:-http://127.0.0.1:$http_port}
export CSDESK_MAIL_DIR=${CSDESK_MAIL_DIR:-$var/mail}
CSDESK_DB="$base user=csdesk" "$build/csdesk" migrate | grep -v 'database up to date' || true
CSDESK_DB="$base user=csdesk" "$build/csdesk" demo | grep -v '^load:' || true

rm -f "$var/run/portal.sock" "$var/run/console.sock"
start_pool portal csdesk_portal
start_pool console csdesk_console

# In place of the systemd timer: the batch job every few seconds, so mail
# shows up quickly while someone tries the demo.
CSDESK_DB="$base user=csdesk" setsid "$build/csdesk" batch --loop 5 \
	>>"$var/log/batch.log" 2>&1 </dev/null &
echo $! >"$var/run/batch.pid"

nginx_conf "$var/run/nginx.conf" "$http_port" "$var/run" "$var/run/portal.sock" "$var/run/console.sock" \
	"$var/log"
setsid /usr/sbin/nginx -c "$var/run/nginx.conf" -e "$var/log/nginx-error.log" \
	>>"$var/log/nginx.log" 2>&1 </dev/null &
wait_for "$http_port" || { tail -5 "$var/log/nginx-error.log" >&2; exit 1; }
