#!/usr/bin/env bash
# fresh-debian.sh — proves the README's two commands on a Debian 12 that has
# never seen csdesk: debootstraps bookworm into ROOT, puts a clean checkout
# of HEAD (git archive) at ROOT/srv/csdesk, and in a chroot runs
# `make test`, then `make run`, fetches the portal with curl and stops it.
# Prints the time each step took. Run as root on a Debian or Ubuntu host
# that reaches a Debian mirror; see docs/operations.md.
#
#   scripts/fresh-debian.sh [ROOT]   ROOT: a directory that does not exist
#                                    yet (default /var/tmp/csdesk-fresh)
#   MIRROR=http://deb.debian.org/debian    where debootstrap downloads from
#   KEEP=1        leave ROOT in place afterwards (default: delete it)
#   RUN_FIRST=1   `make run` before `make test` (so it is the one that
#                 installs and builds)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/var/tmp/csdesk-fresh}
mirror=${MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" = 0 ] || { echo "fresh-debian: run as root (debootstrap, chroot)" >&2; exit 1; }
[ ! -e "$root" ] || { echo "fresh-debian: $root exists; give a new directory" >&2; exit 1; }

step_start=0
step() { step_start=$(date +%s); echo "== $*"; }
took() { echo "   took $(($(date +%s) - step_start)) s"; }
# Prefixes each line with the seconds since the step started.
stamp() { while IFS= read -r l; do printf '%5ds  %s\n' $(($(date +%s) - step_start)) "$l"; done; }
all_start=$(date +%s)

mounted=""
cleanup() {
	local rc=$?
	if [ -n "$mounted" ]; then
		# Whatever still runs inside (a failed `make run`): stop it by pid.
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -KILL "${p#/proc/}" 2>/dev/null
		done
		sleep 1
		umount -R "$root/dev" "$root/sys" "$root/proc" 2>/dev/null || umount -lR "$root/dev" "$root/sys" "$root/proc" || true
	fi
	if [ -z "${KEEP:-}" ] && [ -d "$root" ] && ! grep -q " $root/" /proc/mounts; then
		rm -rf "$root"
	fi
	exit $rc
}
trap cleanup EXIT

step "debootstrap bookworm $root"
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
debootstrap bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
	{ tail -20 "$root.debootstrap.log" >&2; exit 1; }
rm -f "$root.debootstrap.log"
took

# A chroot has no init: keep Debian's maintainer scripts from starting the
# packaged PostgreSQL and nginx on the host's network (a container image
# does the same). csdesk starts its own private ones.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mounted=1

step "a clean checkout of $(git -C "$top" rev-parse --short HEAD) at /srv/csdesk"
mkdir -p "$root/srv/csdesk"
git -C "$top" archive HEAD | tar -x -C "$root/srv/csdesk"
took

in_root() { chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c "cd /srv/csdesk && $1"; }

step "apt-get install make (the one program a fresh Debian lacks to read a Makefile)"
in_root "apt-get update -qq && apt-get install -y -qq make >/dev/null"
took

make_test() {
	step "make test"
	in_root "make test" 2>&1 | stamp
	[ "${PIPESTATUS[0]}" = 0 ] || { echo "fresh-debian: make test FAILED" >&2; exit 1; }
	took
}

make_run() {
	local port=8080
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	fi
	step "make run (CSDESK_HTTP_PORT=$port) until the portal answers curl"
	in_root "CSDESK_HTTP_PORT=$port setsid make run >/srv/csdesk/make-run.log 2>&1 </dev/null &"
	for _ in $(seq 1 1800); do
		grep -q 'csdesk is running' "$root/srv/csdesk/make-run.log" 2>/dev/null && break
		sleep 1
	done
	if ! in_root "curl -fsS http://127.0.0.1:$port/ | grep -o '<title>[^<]*</title>'"; then
		cat "$root/srv/csdesk/make-run.log" >&2
		echo "fresh-debian: the portal did not answer" >&2
		exit 1
	fi
	in_root "curl -fsS -o /dev/null -w '   /agent/login: %{http_code}\n' http://127.0.0.1:$port/agent/login"
	took
	in_root "make stop" | sed 's/^/   /'
}

if [ -n "${RUN_FIRST:-}" ]; then
	make_run
	make_test
else
	make_test
	make_run
fi
step "make test again (everything installed and built)"
in_root "make test" >/dev/null 2>&1 || { echo "fresh-debian: the second make test FAILED" >&2; exit 1; }
took
echo "== fresh-debian: make test and make run worked the first time ($(($(date +%s) - all_start)) s in all)"
