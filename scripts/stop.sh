#!/usr/bin/env bash
# stop.sh — `make stop`: stops what `make run` started.
set -eu
. "$(dirname "$0")/lib.sh"
# The `make run` script, if one is waiting: it stops the stack itself.
if [ -f "$top/var/run/run.pid" ] && kill -TERM "$(cat "$top/var/run/run.pid")" 2>/dev/null; then
	sleep 1
fi
rm -f "$top/var/run/run.pid"
"$top/scripts/stack.sh" stop "$top/var"
echo "csdesk stopped."
