# lib.sh — shared by the scripts behind `make run`, `make test` and
# `make bench`. Sourced, not run.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# PostgreSQL's server programs (initdb, pg_ctl) are not on PATH on Debian.
pg_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
	echo "PostgreSQL server programs not found (apt-get install postgresql)" >&2
	return 1
}

# initdb and postgres refuse to run as root: as root, use this system user.
pg_os_user=csdesk

# Runs a command as the user who owns the cluster.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$pg_os_user" -- "$@"
	else
		"$@"
	fi
}

ensure_pg_os_user() {
	[ "$(id -u)" = 0 ] || return 0
	id -u "$pg_os_user" >/dev/null 2>&1 ||
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$pg_os_user"
}

# A TCP port nobody listens on right now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The group the private nginx's workers run as: the FastCGI sockets are
# 0660 and given to it, as systemd's SocketGroup=www-data does in production.
web_group() {
	if [ "$(id -u)" = 0 ]; then echo nogroup; else id -gn; fi
}

# Fills nginx/csdesk-dev.conf.in for a private nginx.
#   nginx_conf OUT PORT RUNDIR PORTAL_SOCK CONSOLE_SOCK [LOGDIR]
# The error log goes to LOGDIR (RUNDIR when not given).
nginx_conf() {
	local user_line=""
	[ "$(id -u)" = 0 ] && user_line="user nobody $(web_group);"
	sed -e "s#@PORT@#$2#g" -e "s#@RUNDIR@#$3#g" -e "s#@PORTAL@#$4#g" \
	    -e "s#@CONSOLE@#$5#g" -e "s#@DATADIR@#$top#g" -e "s#@USER@#$user_line#g" \
	    -e "s#@LOGDIR@#${6:-$3}#g" "$top/nginx/csdesk-dev.conf.in" >"$1"
}

# Waits until a TCP port or a unix socket accepts connections.
wait_for() {
	local what=$1 i
	for i in $(seq 1 100); do
		if [ "${what#/}" != "$what" ]; then
			[ -S "$what" ] && return 0
		else
			(exec 3<>"/dev/tcp/127.0.0.1/$what") 2>/dev/null && return 0
		fi
		sleep 0.1
	done
	echo "timed out waiting for $what" >&2
	return 1
}
