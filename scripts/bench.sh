#!/usr/bin/env bash
# bench.sh — `make bench`: starts the whole stack on free ports, loads it
# with wrk (-t2 -c16, through nginx) and prints a table. The static row is
# nginx serving a saved copy of the portal home: the ceiling any dynamic
# page could reach on this machine.
#
#   BENCH_SECONDS=5 (per scenario)   BENCH_WORKERS=2 (per pool; 4 with
#   BENCH_TICKETS, as docs/operations.md sizes a pool for a million tickets)
#   BENCH_CREATE_WORKERS=8 (per pool, for the "create:" rows: the systemd units' count)
#   BENCH_TICKETS=1000000: afterwards, load that many tickets with
#   `csdesk gen` (timed) and print the hot path's table (bench_hot.sh):
#   the console ticket page over 2,000 random tickets, the queue over 40
#   views, ticket creation through the portal form and the API (rows
#   counted) and its SQL alone from 16 connections (pgbench,
#   bench/create_ticket.sql), the API list, and nginx serving a saved
#   ticket page, each with its statements and CPU per request and its
#   target. Unset (the default): no big data.
#   BENCH_VAR=DIR: run the stack in DIR and keep it (the cluster, and the
#   generated tickets: gen runs only when DIR has fewer than BENCH_TICKETS),
#   so trial runs need not generate a million tickets each time.
#   BENCH_ONLY=big: skip the small-data rows and the audit log.
#   BENCH_REGISTRATIONS=1000000 [BENCH_CLAIMS=100000]: warranty at scale
#   (bench_warranty.sh): "my products" and the claim queue.
#   BENCH_RETURNS=100000: load that many returns with `csdesk gen --returns`
#   and add the returns queue and the portal's "My returns" to the hot-path
#   table (bench_returns.sh).
#   BENCH_MOVEMENTS=5000000: service parts at scale (bench_parts.sh): stock
#   movements with `csdesk gen --movements`, the nightly proposal, the
#   technician's parts page, job reports, stock pages and field reports.
#   BENCH_APPOINTMENTS=500000 [BENCH_TECHNICIANS=200]: field service at
#   scale (bench_field.sh): the technician's day and the dispatch board.
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
. "$top/scripts/bench_hot.sh"
. "$top/scripts/bench_analytics.sh"
. "$top/scripts/bench_mail.sh"
. "$top/scripts/bench_warranty.sh"
. "$top/scripts/bench_api.sh"
. "$top/scripts/bench_surveys.sh"
. "$top/scripts/bench_automation.sh"
. "$top/scripts/bench_create.sh"
. "$top/scripts/bench_returns.sh"
. "$top/scripts/bench_parts.sh"
. "$top/scripts/bench_field.sh"
. "$top/scripts/bench_workspace.sh"
. "$top/scripts/bench_queue.sh"
. "$top/scripts/bench_site.sh"
secs=${BENCH_SECONDS:-5}
# Workers a pool for the pages: 2 on the demo's data; at a million
# tickets a page waits on PostgreSQL for most of its time, and 4 a pool
# keep two cores busy (docs/operations.md, *Workers and PostgreSQL
# settings, measured*).
if [ -n "${BENCH_TICKETS:-}" ]; then
	page_workers=${BENCH_WORKERS:-4}
else
	page_workers=${BENCH_WORKERS:-2}
fi
# Workers a pool for the creation rows: the systemd units' count.
create_workers=${BENCH_CREATE_WORKERS:-8}
if [ -n "${BENCH_VAR:-}" ]; then
	var=$BENCH_VAR
	mkdir -p "$var"
	trap '"$top/scripts/stack.sh" stop "$var"' EXIT
else
	var=$(mktemp -d /tmp/csdesk-bench.XXXXXX)
	trap '"$top/scripts/stack.sh" stop "$var"; rm -rf "$var"' EXIT
fi
chmod 755 "$var"
port=$(free_port)
# pg_stat_statements: the statements per request of the hot path's table.
CSDESK_PG_STATS=1 "$top/scripts/stack.sh" start "$var" "$port" "$page_workers" >/dev/null
hot_db="host=127.0.0.1 port=$(cat "$var/pg.port") dbname=csdesk user=csdesk"
hot_setup
base="http://127.0.0.1:$port"
curl -fsS "$base/" >"$var/run/static-home.html"

# The pids of a pool's workers (the children of its master).
pool_workers() {
	cat "/proc/$1/task/$1/children" 2>/dev/null || true
}

# Resident memory of a pool's workers, in KiB, space-separated.
worker_rss() {
	local k
	for k in $(pool_workers "$1"); do awk '/^VmRSS/ {printf "%s ", $2}' "/proc/$k/status"; done
}

# What of it is the worker's own, in KiB, "Pss/Private_Dirty" per worker:
# most of the resident memory is shared (libraries, and what the pool's
# parent read before forking), which VmRSS counts in full in every worker.
worker_pss() {
	local k
	for k in $(pool_workers "$1"); do
		awk '/^Pss:/ { p = $2 } /^Private_Dirty:/ { d = $2 } END { printf "%s/%s ", p, d }' \
			"/proc/$k/smaps_rollup"
	done
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

customer=$(sign_in /login pat@demo.csdesk.test csdesk_session)
staff=$(sign_in /agent/login alex@demo.csdesk.test csdesk_staff)
small=""
if [ "${BENCH_ONLY:-}" != big ]; then
	portal_pid=$(cat "$var/run/portal.pid")
	console_pid=$(cat "$var/run/console.pid")
	rss_before=$(worker_rss "$portal_pid")
	console_rss_before=$(worker_rss "$console_pid")
	load "$base/" >/dev/null	# warm-up: connections, prepared statements, caches

	static=$(load "$base/bench/static-home.html")
	home=$(load "$base/")
	health=$(load "$base/healthz")
	login=$(load "$base/agent/login")
	account=$(load "$base/account" "$customer")
	dashboard=$(load "$base/agent/" "$staff")
	rss_after=$(worker_rss "$portal_pid")
	pss_after=$(worker_pss "$portal_pid")
	console_rss_after=$(worker_rss "$console_pid")
	console_pss_after=$(worker_pss "$console_pid")

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
	small=1
fi

# The big-data phase: the same stack, BENCH_TICKETS more tickets, and the
# hot path's table (bench_hot.sh): pages over many URLs, ticket creation.
big=""
if [ -n "${BENCH_TICKETS:-}" ]; then
	pgport=$(cat "$var/pg.port")
	gen_db="host=127.0.0.1 port=$pgport dbname=csdesk user=csdesk"
	have=$("$(pg_bin)/psql" -Atq "$gen_db" -c "SELECT count(*) FROM tickets")
	if [ -n "${BENCH_VAR:-}" ] && [ "$have" -ge "$BENCH_TICKETS" ]; then
		gen_out="gen: kept the $have tickets of $BENCH_VAR"
	else
		gen_out=$(CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" gen \
			--tickets "$BENCH_TICKETS" --force)
	fi
	# A key for the API, made on the admin page like an admin would.
	admin=$(sign_in /agent/login admin@demo.csdesk.test csdesk_staff)
	token=$(curl -fsS -H "Cookie: $admin" "$base/agent/admin/api-keys" |
		sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
	key=$(curl -fsS -H "Cookie: $admin" --data-urlencode "csrf_token=$token" \
		--data-urlencode "name=bench" "$base/agent/admin/api-keys" |
		sed -n 's/.*id="api-key">\(csd_[^<]*\)<.*/\1/p')
	# The pages an agent opens: 2,000 tickets drawn at random, and 40 queue
	# views (status x priority x sort x queue/team/assignee, "mine", SLA).
	"$(pg_bin)/psql" -Atq "$gen_db" -c "SELECT '/agent/tickets/' || number
		FROM tickets ORDER BY random() LIMIT 2000" >"$var/tickets.paths"
	number=$(sed -n '1s#.*/##p' "$var/tickets.paths")
	set -- $("$(pg_bin)/psql" -Atq -F " " "$gen_db" -c "SELECT
		(SELECT string_agg(id::text, ' ') FROM (SELECT id FROM queues WHERE active
			ORDER BY id LIMIT 2) q),
		(SELECT min(id) FROM teams),
		(SELECT id FROM staff WHERE email = 'sam@demo.csdesk.test')")
	view_q1=$1 view_q2=$2 view_team=$3 view_agent=$4
	for s in update priority age sla; do
		printf '/agent/tickets?%s\n' "status=open&sort=$s" "status=open&assignee=me&sort=$s" \
			"status=open&assignee=none&sort=$s" "status=new&queue=$view_q1&sort=$s" \
			"status=open&team=$view_team&sort=$s" \
			"status=open&assignee=$view_agent&priority=high&sort=$s" \
			"status=open&sla=at_risk&sort=$s" "status=open&sla=breached&queue=$view_q2&sort=$s" \
			"status=pending_customer&priority=urgent&sort=$s" "sort=$s"
	done >"$var/views.paths"
	code() { curl -s -o /dev/null -w '%{http_code}' ${2:+-H "Cookie: $2"} "$base$1"; }
	while read -r v; do
		[ "$(code "$v" "$staff")" = 200 ] || echo "bench: $v does not answer 200" >&2
	done <"$var/views.paths"
	curl -fsS -H "Cookie: $staff" "$base/agent/tickets/$number" >"$var/run/static-ticket.html"
	hot_row "console ticket page (one URL)" csdesk_console - - 0 -H "Cookie: $staff" \
		"$base/agent/tickets/$number"
	hot_row "console ticket page (2,000 random)" csdesk_console 4000 15 0 -H "Cookie: $staff" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/tickets.paths"
	hot_row "console queue (status=open)" csdesk_console - - 0 -H "Cookie: $staff" \
		"$base/agent/tickets?status=open"
	hot_row "console queue (40 views)" csdesk_console 3000 15 0 -H "Cookie: $staff" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/views.paths"
	queue_bench
	workspace_bench
	[ -n "$key" ] && hot_row "API list (status=open)" csdesk_console - - 0 \
		-H "Authorization: Bearer $key" "$base/api/v1/tickets?status=open"
	[ -n "$key" ] && bench_api_rows "$key"
	# Creation: a customer's form (session cookie + the session's CSRF
	# token), and the API with a key; tickets counted in the table. The
	# customers' rate limits (029) are lifted for the run: the rows measure
	# the machine, not the anti-automation limits, which answer 429 at once.
	hot_psql "UPDATE settings SET value = '1000000' WHERE key IN
		('customer_tickets_per_minute', 'customer_tickets_per_hour')" >/dev/null
	# Creation with 50 triggers and automations active (bench_automation.sh)
	# and 50 routing rules tried at every creation (bench/routing_rules.sql);
	# the rows' labels say how many were active: routing + triggers.
	auto_rules50=$(automation_bench_rules 50)
	route_rules50=$("$(pg_bin)/psql" -Atq -v n=50 "$gen_db" -f "$top/bench/routing_rules.sql" |
		tail -1)
	rules="$route_rules50+$auto_rules50 rules"
	ctoken=$(curl -fsS -H "Cookie: $customer" "$base/tickets/new" |
		sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
	# The pools as the systemd units run them (--workers 8), not the 2 of
	# the page rows: a creation waits for its commit's disk flush, and only
	# creations that run at once share one, so with 2 workers a pool the
	# rows measured the flush, not csdesk (docs/operations.md, *Creation*).
	"$top/scripts/stack.sh" workers "$var" "$create_workers"
	hot_row "create: portal ($rules, $create_workers workers)" csdesk_portal 1000 - 1 \
		-H "Cookie: $customer" -s "$top/bench/create.lua" "$base" -- portal "$ctoken"
	[ -n "$key" ] && hot_row "create: API ($rules, $create_workers workers)" csdesk_console \
		1000 - 1 -H "Authorization: Bearer $key" -s "$top/bench/create.lua" "$base" -- \
		api pat@demo.csdesk.test
	"$top/scripts/stack.sh" workers "$var" "$page_workers"
	# The same SQL from 16 connections straight to PostgreSQL (the web rows
	# have as many as there are workers): do creations wait for each other?
	hot_row_pgbench "create: its SQL, pgbench -c16" "$top/bench/create_ticket.sql" \
		csdesk_console 1000
	# What one creation costs inside PostgreSQL, and where (bench_create.sh).
	create_cost_bench
	hot_row_static "$base/bench/static-ticket.html" "ticket page as a file (nginx)"
	# The floor under every console row, from the same machine and wrk: a
	# request that makes one round trip (SELECT 1), and a signed-in page
	# that reads its session and one small row. No page that reads a
	# ticket or a queue can be cheaper than the second.
	hot_row "healthz: one round trip (floor)" csdesk_console - - 0 "$base/healthz"
	hot_row "signed-in page, one read (settings)" csdesk_console - - 0 -H "Cookie: $staff" \
		"$base/agent/settings"
	# Analytics: the rollup over the history, the dashboard and SLA report on it.
	analytics_bench
	# Surveys and quality reviews (bench_surveys.sh): their lists at this scale.
	bench_surveys
	# SLA and escalation: the cost of a batch tick with nothing due. The
	# generated open tickets get running clocks (bench/sla_clocks.sql); one
	# run absorbs whatever was due, the next is timed by the step itself.
	sla_open=$("$(pg_bin)/psql" -Atq "$gen_db" -f "$top/bench/sla_clocks.sql" | tail -1)
	CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch >/dev/null 2>&1 || true
	sla_tick=$(CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null |
		sed -n 's/^batch: sla: .*(\([0-9.]*\) ms)$/\1/p')
	auto_rules=$(automation_bench_rules 200)
	auto_tick=$(automation_bench_tick)
	auto_assign=$(automation_bench_assign)
	# The same tick with business-hours rules and webhooks, then with work due.
	site_bench_setup >/dev/null
	site_tick=$(site_bench_tick)
	site_due=$(site_bench_due 100; site_bench_due 1000)
	site_bench_stop
	big=1
fi

# Returns: the console queue and the portal's list over BENCH_RETURNS returns.
[ -n "${BENCH_RETURNS:-}" ] && bench_returns "$BENCH_RETURNS"
[ -n "${BENCH_APPOINTMENTS:-}" ] && bench_field

# Service parts: stock movements, vans, jobs' parts and the field reports (bench_parts.sh).
[ -n "${BENCH_MOVEMENTS:-}" ] && bench_parts "$BENCH_MOVEMENTS"

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
	hot_row "portal KB search (20 queries)" csdesk_portal 1000 20 0 \
		-s "$top/bench/kb_search.lua" "$base"
	kb_c2=$(kbload 2)
	kb=1
fi

[ -n "${BENCH_REGISTRATIONS:-}" ] && bench_warranty

srps=$(echo "${static:-0}" | cut -d' ' -f1)
printf '\ncsdesk bench: wrk -t2 -c16 -d%ss through nginx, %s workers per pool, %s cores\n' \
	"$secs" "$page_workers" "$(nproc)"
row() {
	set -- "$1" $2
	awk -v n="$1" -v r="$2" -v p="$3" -v t="$4" -v b="$5" -v s="$srps" 'BEGIN {
		printf "%-30s %12.0f %10.2f %12d %9s %8d\n", n, r, p, t,
			(s > 0 ? sprintf("%.0f%%", 100 * r / s) : "-"), b }'
}
row_head() {
	printf '%-30s %12s %10s %12s %10s %8s\n' scenario "requests/s" "p99 ms" requests "vs static" "non-2xx"
	printf '%-30s %12s %10s %12s %10s %8s\n' ------------------------------ ------------ ---------- ------------ ---------- --------
}
if [ -n "$small" ]; then
	printf '\n'
	row_head
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
fi
if [ -n "$big" ]; then
	printf '\nwith %s more tickets (csdesk gen):\n' "$BENCH_TICKETS"
	printf '%s\n' "$gen_out"
	printf 'SLA batch tick, nothing due, %s open tickets with clocks: %s ms (target 200 ms)\n' \
		"${sla_open:-?}" "${sla_tick:-not measured}"
	printf '%s\n' "${analytics_fill:-analytics rollup: not measured}"
	[ -s "$var/surveys.line" ] && cat "$var/surveys.line"
	printf 'creation rows above ("create:"): tickets counted, per ticket created; %s routing
rules and %s triggers and automations active
' "${route_rules50:-?}" "${auto_rules50:-?}"
	[ -s "$var/create_cost.line" ] && cat "$var/create_cost.line"
	automation_bench_report "${auto_rules:-?}" "${auto_tick:-? ? ? ?}" "${auto_assign:-? ? ?}"
	site_bench_report "${site_tick:-? ? ? ? ?}" $site_due
fi
if [ -n "${BENCH_RETURNS:-}" ]; then
	printf '\nwith %s returns (csdesk gen --returns):\n%s\n' "$BENCH_RETURNS" "$returns_gen"
fi
if [ -n "$kb" ]; then
	printf '\nwith %s help-centre articles (csdesk gen --articles):\n' "$BENCH_KB_ARTICLES"
	row_head
	row "portal KB search (-c16)" "$kb_c16"
	row "portal KB search (-c2)" "$kb_c2"
	printf '%s\n' "$kb_gen"
fi
[ -n "${BENCH_REGISTRATIONS:-}" ] && bench_warranty_summary
[ -n "${BENCH_MOVEMENTS:-}" ] && bench_parts_summary
[ -n "${BENCH_APPOINTMENTS:-}" ] && bench_field_summary
[ -s "$var/hot.rows" ] && hot_table
[ -n "$small" ] && bench_mail
if [ -n "$small" ]; then
	printf '\nportal worker RSS (KiB) before: %s\n' "$rss_before"
	printf 'portal worker RSS (KiB) after:  %s\n' "$rss_after"
	printf 'portal worker Pss/private dirty (KiB) after: %s\n' "$pss_after"
	printf 'console worker RSS (KiB) before: %s\n' "$console_rss_before"
	printf 'console worker RSS (KiB) after:  %s\n' "$console_rss_after"
	printf 'console worker Pss/private dirty (KiB) after: %s\n' "$console_pss_after"
fi
