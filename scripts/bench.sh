#!/usr/bin/env bash
# bench.sh — `make bench`: starts the whole stack on free ports, loads it
# with wrk (-t2 -c16, through nginx) and prints a table. The static row is
# nginx serving a saved copy of the portal home: the ceiling any dynamic
# page could reach on this machine.
#
#   BENCH_SECONDS=10 (per scenario)   BENCH_WORKERS=2 (per pool)
#   BENCH_TICKETS=1000000: afterwards, load that many tickets with
#   `csdesk gen` (timed) and add rows for the console queue view, a ticket
#   page and the API list at that size. Unset (the default): no big data.
#   BENCH_KB_ARTICLES=100000: load that many help-centre articles with
#   `csdesk gen --articles` and add rows for the portal's search over them
#   (bench/kb_search.lua: a mix of queries), under load (-c16) and for
#   latency (-c2: one request per worker at a time).
#
# The audit log's rate: pgbench runs the INSERT that audit_record sends
# (bench/audit_insert.sql) as the console's role, one row per transaction
# (one client, then four racing for the chain) and 100 rows per
# transaction; then `csdesk audit verify` walks the whole chain, timed.
set -eu
. "$(dirname "$0")/lib.sh"
secs=${BENCH_SECONDS:-10}
var=$(mktemp -d /tmp/csdesk-bench.XXXXXX)
chmod 755 "$var"
trap '"$top/scripts/stack.sh" stop "$var"; rm -rf "$var"' EXIT
port=$(free_port)
"$top/scripts/stack.sh" start "$var" "$port" "${BENCH_WORKERS:-2}" >/dev/null
base="http://127.0.0.1:$port"
curl -fsS "$base/" >"$var/run/static-home.html"

# Resident memory of a pool's workers, in KiB, space-separated.
worker_rss() {
	local master=$1 kids k
	kids=$(cat "/proc/$master/task/$master/children" 2>/dev/null || true)
	for k in $kids; do awk '/^VmRSS/ {printf "%s ", $2}' "/proc/$k/status"; done
}

# Signs a demo person in; prints the session cookie ("name=value").
sign_in() {
	local login=$1 email=$2 cookie=$3 jar="$var/jar.$RANDOM" token
	token=$(curl -fsS -c "$jar" -b "$jar" "$base$login" |
		sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
	curl -fsS -o /dev/null -c "$jar" -b "$jar" \
		--data-urlencode "csrf_token=$token" --data-urlencode "email=$email" \
		--data-urlencode "password=orange harbour lantern" "$base$login"
	awk -v c="$cookie" '$6 == c { print c "=" $7 }' "$jar"
}

# Runs wrk and prints "requests/s p99-ms requests"; $2: a Cookie header,
# $3: another header line.
load() {
	wrk -t2 -c16 -d"${secs}s" --latency ${2:+-H "Cookie: $2"} ${3:+-H "$3"} "$1" 2>&1 | awk '
		/Requests\/sec/ { rps = $2 }
		/requests in/ { total = $1 }
		/Non-2xx/ { bad = $NF }
		$1 == "99%" {
			v = $2
			if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
			else if (v ~ /ms$/) { sub(/ms$/, "", v) }
			else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
			p99 = v
		}
		END { printf "%s %s %s %d\n", rps, p99, total, bad }'
}

portal_pid=$(cat "$var/run/portal.pid")
rss_before=$(worker_rss "$portal_pid")
load "$base/" >/dev/null	# warm-up: connections, prepared statements, caches

static=$(load "$base/bench/static-home.html")
home=$(load "$base/")
health=$(load "$base/healthz")
login=$(load "$base/agent/login")
customer=$(sign_in /login pat@demo.csdesk.test csdesk_session)
staff=$(sign_in /agent/login alex@demo.csdesk.test csdesk_staff)
account=$(load "$base/account" "$customer")
dashboard=$(load "$base/agent/" "$staff")
rss_after=$(worker_rss "$portal_pid")

# The audit log: rows per second through the hash-chain trigger.
pgport=$(cat "$var/pg.port")
audit_db="host=127.0.0.1 port=$pgport dbname=csdesk"
# Prints "rows/s avg-latency-ms" of pgbench -f $1, $2 clients, $3 rows per transaction.
audit_load() {
	"$(pg_bin)/pgbench" -n -M prepared -c "$2" -j "$2" -T "$secs" -f "$1" \
		"$audit_db user=csdesk_console" 2>&1 |
		awk -v k="$3" '/^tps = / { tps = $3 } /^latency average/ { lat = $4 }
			END { printf "%.0f %s\n", tps * k, lat }'
}
awk '/^\\set/ { print; next } /^--/ { next } { body = body $0 "\n" }
	END { print "BEGIN;"; for (i = 0; i < 100; i++) printf "%s", body; print "COMMIT;" }' \
	"$top/bench/audit_insert.sql" >"$var/audit_batch.sql"
audit_c1=$(audit_load "$top/bench/audit_insert.sql" 1 1)
audit_c4=$(audit_load "$top/bench/audit_insert.sql" 4 1)
audit_batch=$(audit_load "$var/audit_batch.sql" 1 100)
t0=$(date +%s%N)
audit_verify=$(CSDESK_DB="$audit_db user=csdesk" "${CSDESK_BUILD:-$top/build}/csdesk" audit verify)
t1=$(date +%s%N)

# The big-data phase: the same stack, BENCH_TICKETS more tickets.
big=""
if [ -n "${BENCH_TICKETS:-}" ]; then
	pgport=$(cat "$var/pg.port")
	gen_db="host=127.0.0.1 port=$pgport dbname=csdesk user=csdesk"
	gen_out=$(CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" gen --tickets "$BENCH_TICKETS" --force)
	number=$("$(pg_bin)/psql" -Atq "$gen_db" -c \
		"SELECT number FROM tickets ORDER BY id DESC LIMIT 1 OFFSET 1000")
	# A key for the API, made on the admin page like an admin would.
	admin=$(sign_in /agent/login admin@demo.csdesk.test csdesk_staff)
	token=$(curl -fsS -H "Cookie: $admin" "$base/agent/admin/api-keys" |
		sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
	key=$(curl -fsS -H "Cookie: $admin" --data-urlencode "csrf_token=$token" \
		--data-urlencode "name=bench" "$base/agent/admin/api-keys" |
		sed -n 's/.*id="api-key">\(csd_[^<]*\)<.*/\1/p')
	code() { curl -s -o /dev/null -w '%{http_code}' ${2:+-H "Cookie: $2"} "$base$1"; }
	queue=""; ticket=""; apilist=""
	[ "$(code '/agent/tickets?status=open' "$staff")" = 200 ] &&
		queue=$(load "$base/agent/tickets?status=open" "$staff")
	[ -n "$number" ] && [ "$(code "/agent/tickets/$number" "$staff")" = 200 ] &&
		ticket=$(load "$base/agent/tickets/$number" "$staff")
	[ -n "$key" ] &&
		apilist=$(load "$base/api/v1/tickets?status=open" "" "Authorization: Bearer $key")
	# SLA and escalation: the cost of a batch tick with nothing due. The
	# generated open tickets get running clocks (bench/sla_clocks.sql); one
	# run absorbs whatever was due, the next is timed by the step itself.
	sla_open=$("$(pg_bin)/psql" -Atq "$gen_db" -f "$top/bench/sla_clocks.sql" | tail -1)
	CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch >/dev/null 2>&1 || true
	sla_tick=$(CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null |
		sed -n 's/^batch: sla: .*(\([0-9.]*\) ms)$/\1/p')
	big=1
fi

# Knowledge base: portal search over BENCH_KB_ARTICLES generated articles.
kb=""
if [ -n "${BENCH_KB_ARTICLES:-}" ]; then
	pgport=$(cat "$var/pg.port")
	kb_db="host=127.0.0.1 port=$pgport dbname=csdesk user=csdesk"
	kb_gen=$(CSDESK_DB="$kb_db" "${CSDESK_BUILD:-$top/build}/csdesk" gen \
		--articles "$BENCH_KB_ARTICLES")
	kbload() {
		wrk -t2 -c"$1" -d"${secs}s" --latency -s "$top/bench/kb_search.lua" "$base" 2>&1 |
			awk '
			/Requests\/sec/ { rps = $2 }
			/requests in/ { total = $1 }
			/Non-2xx/ { bad = $NF }
			$1 == "99%" {
				v = $2
				if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
				else if (v ~ /ms$/) { sub(/ms$/, "", v) }
				else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
				p99 = v
			}
			END { printf "%s %s %s %d\n", rps, p99, total, bad }'
	}
	kbload 2 >/dev/null	# warm-up: the indexes into memory
	kb_c16=$(kbload 16)
	kb_c2=$(kbload 2)
	kb=1
fi

srps=$(echo "$static" | cut -d' ' -f1)
printf '\ncsdesk bench: wrk -t2 -c16 -d%ss through nginx, %s workers per pool, %s cores\n\n' \
	"$secs" "${BENCH_WORKERS:-2}" "$(nproc)"
printf '%-30s %12s %10s %12s %10s %8s\n' scenario "requests/s" "p99 ms" requests "vs static" "non-2xx"
printf '%-30s %12s %10s %12s %10s %8s\n' ------------------------------ ------------ ---------- ------------ ---------- --------
row() {
	set -- "$1" $2
	awk -v n="$1" -v r="$2" -v p="$3" -v t="$4" -v b="$5" -v s="$srps" \
		'BEGIN { printf "%-30s %12.0f %10.2f %12d %9.0f%% %8d\n", n, r, p, t, 100 * r / s, b }'
}
row "static copy (nginx)" "$static"
row "portal home GET /" "$home"
row "healthz (SELECT 1)" "$health"
row "console login page" "$login"
row "portal account (signed in)" "$account"
row "console dashboard (signed in)" "$dashboard"
printf '\naudit log (pgbench -M prepared as csdesk_console, %ss each):\n' "$secs"
printf '%-30s %12s %10s\n' scenario "rows/s" "avg ms/tx"
audit_row() {
	set -- "$1" $2
	printf '%-30s %12s %10s\n' "$1" "$2" "$3"
}
audit_row "audit insert, 1 per tx (-c1)" "$audit_c1"
audit_row "audit insert, 1 per tx (-c4)" "$audit_c4"
audit_row "audit insert, 100 per tx" "$audit_batch"
awk -v v="$audit_verify" -v ns=$((t1 - t0)) 'BEGIN {
	split(v, w, " "); ms = ns / 1e6
	printf "%-30s %12.0f %10s  (%s, %.0f ms)\n", "audit verify (csdesk)", w[2] / (ms / 1e3), "-", v, ms }'
if [ -n "$big" ]; then
	printf '\nwith %s more tickets (csdesk gen):\n' "$BENCH_TICKETS"
	[ -n "$queue" ] && row "console queue (status=open)" "$queue" ||
		printf '%-30s %s\n' "console queue (status=open)" "not answering 200: skipped"
	[ -n "$ticket" ] && row "console ticket page" "$ticket" ||
		printf '%-30s %s\n' "console ticket page" "not answering 200: skipped"
	[ -n "$apilist" ] && row "API list (status=open)" "$apilist" ||
		printf '%-30s %s\n' "API list (status=open)" "no key: skipped"
	printf '%s\n' "$gen_out"
	printf 'SLA batch tick, nothing due, %s open tickets with clocks: %s ms (target 200 ms)\n' \
		"${sla_open:-?}" "${sla_tick:-not measured}"
fi
if [ -n "$kb" ]; then
	printf '\nwith %s help-centre articles (csdesk gen --articles):\n' "$BENCH_KB_ARTICLES"
	row "portal KB search (-c16)" "$kb_c16"
	row "portal KB search (-c2)" "$kb_c2"
	printf '%s\n' "$kb_gen"
fi
printf '\nportal worker RSS (KiB) before: %s\n' "$rss_before"
printf 'portal worker RSS (KiB) after:  %s\n' "$rss_after"
