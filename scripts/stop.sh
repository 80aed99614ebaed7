#!/usr/bin/env bash
# stop.sh — `make stop`: stops what `make run` started.
set -eu
. "$(dirname "$0")/lib.sh"
"$top/scripts/stack.sh" stop "$top/var"
pkill -TERM -f "$top/scripts/run.sh" 2>/dev/null || true
echo "csdesk stopped."
