#!/usr/bin/env bash
# check-units.sh — `systemd-analyze verify` on the units in systemd/, with
# the installed paths pointed at this build so the check runs before
# `make install`. Skipped (with a note) where systemd-analyze is missing.
set -eu
. "$(dirname "$0")/lib.sh"
build=${CSDESK_BUILD:-$top/build}
if ! command -v systemd-analyze >/dev/null; then
	echo "units: systemd-analyze not found, not checked"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for u in "$top"/systemd/*.service "$top"/systemd/*.socket "$top"/systemd/*.timer; do
	sed -e "s#/usr/lib/csdesk/#$build/#g" -e "s#/usr/bin/csdesk#$build/csdesk#g" \
		"$u" >"$tmp/$(basename "$u")"
done
out=$(cd "$tmp" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./*.socket ./*.service ./*.timer 2>&1 |
	grep -v -e 'Failed to load EnvironmentFile' -e 'running in chroot' -e '^$' || true)
if [ -n "$out" ]; then
	echo "$out" >&2
	echo "units: systemd-analyze verify FAILED" >&2
	exit 1
fi
echo "units: $(ls "$top"/systemd | wc -l) systemd units verified"
