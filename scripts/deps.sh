#!/usr/bin/env bash
# deps.sh — installs the Debian packages in scripts/packages.txt that are
# missing (as root), or prints the one apt-get line to run (otherwise); as
# root, first makes sure other users can read the checkout.
# `make run`, `make test`, `make bench` and `make fuzz` call it before they
# compile anything; with everything installed it is one dpkg-query.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
want=$(sed -e 's/#.*//' "$here/packages.txt" | tr -s ' \n' '\n' | sed '/^$/d')
# dpkg-query fails on names it has never seen; the list it prints is enough.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $want 2>/dev/null |
	awk '$2 == "install" && $3 == "ok" && $4 == "installed" { print $1 }' || true)
have=" $(echo $installed) "
missing=""
for p in $want; do
	case "$have" in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
# As root, PostgreSQL runs as the user csdesk (scripts/pg.sh) and nginx's
# workers as nobody: they must reach the checkout (a clone in /root cannot
# serve a page). Said here, before anything is built.
if [ "$(id -u)" = 0 ] && id -u nobody >/dev/null 2>&1 &&
	! runuser -u nobody -- test -r "$here/../static" -a -x "$here/../static"; then
	echo "deps: other users cannot read $(dirname "$here"), but as root PostgreSQL and" >&2
	echo "  nginx's workers run as other users: put the checkout where they can" >&2
	echo "  read it (/srv, /opt; not under /root), e.g. mv $(dirname "$here") /srv/" >&2
	exit 1
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	# Debian starts the packaged services; csdesk runs its own private ones.
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		systemctl disable --now nginx >/dev/null 2>&1 || true
	fi
else
	echo "deps: missing packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
