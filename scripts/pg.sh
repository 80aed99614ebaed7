#!/usr/bin/env bash
# pg.sh — a private PostgreSQL cluster, for `make run`, the tests and bench.
#
#   pg.sh start DIR [PORT [fast]] initdb DIR if needed, then start it on
#                                 127.0.0.1:PORT (fast: no fsync, for tests);
#                                 without PORT, with the settings of last time
#   pg.sh stop DIR                stop it (quietly if it is not running)
#   pg.sh restart DIR             stop and start again
#
# CSDESK_PG_STATS=1 (set by `make bench`) loads pg_stat_statements, so the
# bench can count the statements each page sends and the time they take.
#
# The superuser is named csdesk and local connections are trusted: this is a
# cluster for one developer's machine, reachable from loopback only.
set -eu
. "$(dirname "$0")/lib.sh"

cmd=${1:?usage: pg.sh start DIR PORT [fast] | stop DIR}
dir=${2:?data directory}
bin=$(pg_bin)

case "$cmd" in
start)
	port=${3:-}
	ensure_pg_os_user
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown "$pg_os_user" "$dir"
		if ! runuser -u "$pg_os_user" -- test -w "$dir"; then
			echo "pg.sh: user $pg_os_user cannot reach $dir (a parent directory is private?)" >&2
			exit 1
		fi
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_pg "$bin/initdb" -D "$dir/data" -U csdesk --auth=trust -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; exit 1; }
		echo "include_if_exists = 'csdesk.conf'" | as_pg tee -a "$dir/data/postgresql.conf" >/dev/null
	fi
	if [ -n "$port" ]; then
		{
			echo "listen_addresses = '127.0.0.1'"
			echo "unix_socket_directories = '$dir'"
			echo "port = $port"
			echo "max_connections = 200"
			echo "shared_buffers = 256MB"
			# Short statements only (the batch and gen too): see roles.sql.
			echo "jit = off"
			if [ "${4:-}" = fast ]; then
				echo "fsync = off"
				echo "synchronous_commit = off"
				echo "full_page_writes = off"
			else
				# Write-ahead log for many small commits, measured
				# (docs/operations.md, "Creation at a thousand a second"):
				# compressed page images, checkpoints far enough apart that
				# a page is imaged once in a while, not once a few minutes.
				# commit_delay stays 0 and synchronous_commit on.
				echo "wal_compression = lz4"
				echo "checkpoint_timeout = 15min"
				echo "max_wal_size = 2GB"
			fi
			if [ -n "${CSDESK_PG_STATS:-}" ]; then
				echo "shared_preload_libraries = 'pg_stat_statements'"
				echo "pg_stat_statements.track = all"
				echo "pg_stat_statements.max = 10000"
			fi
		} | as_pg tee "$dir/data/csdesk.conf" >/dev/null
	fi
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null ||
		{ tail -20 "$dir/postgres.log" >&2; exit 1; }
	;;
stop)
	[ -f "$dir/data/postmaster.pid" ] || exit 0
	as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
restart)
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -m fast -w -t 60 restart >/dev/null
	;;
*)
	echo "usage: pg.sh start DIR PORT [fast] | stop DIR | restart DIR" >&2
	exit 2
	;;
esac
