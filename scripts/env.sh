#!/usr/bin/env bash
# env.sh — `make env`: the export line for the database `make run` uses.
#   eval "$(make env)"; build/csdesk migrate
set -eu
. "$(dirname "$0")/lib.sh"
if [ ! -f "$top/var/pg.port" ]; then
	echo "no cluster yet: run \`make run\` once first" >&2
	exit 1
fi
echo "export CSDESK_DB='host=127.0.0.1 port=$(cat "$top/var/pg.port") dbname=csdesk user=csdesk'"
