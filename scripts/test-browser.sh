#!/usr/bin/env bash
# test-browser.sh — `make test-browser` (and the end of `make test` when
# Chromium is installed): the console and the portal in headless Chromium,
# driven by playwright-core (tests/browser/package.json pins it and
# axe-core; npm installs them on the first run). A private stack on a free
# port and a fresh database with the demo data, stopped at the end.
#   SCREENSHOTS=1 scripts/test-browser.sh   also writes docs/screenshots/.
#   BROWSER_TESTS=suite/workspace.test.js scripts/test-browser.sh   one file.
set -eu
. "$(dirname "$0")/lib.sh"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "test-browser: Chromium is not installed (scripts/packages.txt): skipped"
	exit 0
fi
# Debian's nodejs comes without npm (NodeSource's brings its own): the
# package of that name, only when it is missing, so as not to fight a
# nodejs that already has it.
if ! command -v npm >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
	else
		echo "test-browser: npm is missing: apt-get install npm" >&2
		exit 1
	fi
fi
cd "$top/tests/browser"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
# A directory of its own under /tmp that PostgreSQL's and nginx's users can
# reach (the checkout's var/ may be private to its owner).
var=$(mktemp -d /tmp/csdesk-browser.XXXXXX)
chmod 755 "$var"
port=$(free_port)
trap '"$top/scripts/stack.sh" stop "$var" >/dev/null 2>&1 || true; rm -rf "$var"' EXIT
"$top/scripts/stack.sh" start "$var" "$port" 2 >"$var/stack.log" 2>&1 ||
	{ tail -20 "$var/stack.log" >&2; exit 1; }
# The tests open many tickets as one customer: the rate limits (029) are
# lifted, as make bench does; they answer 429 at once and are tested in
# tests/db and tests/http.
"$(pg_bin)/psql" -Atq "host=127.0.0.1 port=$(cat "$var/pg.port") dbname=csdesk user=csdesk" \
	-c "UPDATE settings SET value = '1000000' WHERE key IN ('customer_tickets_per_minute',
	    'customer_tickets_per_hour', 'customer_replies_per_minute', 'customer_replies_per_hour')" \
	>/dev/null
CSDESK_URL=http://127.0.0.1:$port CHROMIUM=$chromium SCREENSHOT_DIR="$top/docs/screenshots" \
	node --test --test-concurrency=1 ${BROWSER_TESTS:-suite/}
