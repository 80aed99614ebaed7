#!/usr/bin/env bash
# deps.sh — installs the Debian packages in scripts/packages.txt that are
# missing (as root), or prints the one apt-get line to run (otherwise).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
want=$(sed -e 's/#.*//' "$here/packages.txt" | tr -s ' \n' '\n' | sed '/^$/d')
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
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
