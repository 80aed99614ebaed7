#!/usr/bin/env bash
# run-tests.sh — runs each Check suite binary given, against one private
# PostgreSQL cluster started here on a free port and stopped on exit, even
# on failure. Each suite makes its own fresh database in it.
set -u
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d /tmp/csdesk-test.XXXXXX)
chmod 755 "$tmp"
port=$(free_port)
cleanup() {
	"$top/scripts/pg.sh" stop "$tmp/pg"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "$top/scripts/pg.sh" start "$tmp/pg" "$port" fast; then
	echo "run-tests: could not start PostgreSQL" >&2
	exit 1
fi
export CSDESK_TEST_PG="host=127.0.0.1 port=$port user=csdesk dbname=postgres"
export CSDESK_TEST_PGDIR="$tmp/pg"

failed=0
for t in "$@"; do
	echo "== $(basename "$t")"
	"$t" || failed=1
done
if [ "$failed" = 0 ]; then
	echo "== all suites passed"
else
	echo "== some suites FAILED" >&2
fi
exit "$failed"
