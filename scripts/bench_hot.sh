# bench_hot.sh — sourced by scripts/bench.sh: the hot-path table. Each row
# runs wrk (-t2 -c16 through nginx, a Lua script rotating URLs or posting
# forms) and prints, beside req/s and latency, what a request cost: the
# statements the pool's role sent (pg_stat_statements, top level: what
# crossed the wire, BEGIN and COMMIT included), the round trips to the
# database (what the workers log per request: db=TRIPS/STATEMENTS), and the
# CPU its workers and
# their PostgreSQL backends used (/proc/PID/stat utime+stime over the run),
# each divided by the requests, and whether the row meets its target.
#
# Needs from bench.sh: top, var, base, secs, and hot_db (a conninfo as the
# superuser). The cluster runs with pg_stat_statements (CSDESK_PG_STATS=1).

hot_psql() { "$(pg_bin)/psql" -Atq "$hot_db" -c "$1"; }

hot_setup() {
	hot_psql "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
	: >"$var/hot.rows"	# a kept BENCH_VAR has last run's
}

# The processes serving a role: its pool's master and workers.
hot_pool_pids() {
	local master
	master=$(cat "$var/run/${1#csdesk_}.pid")
	echo "$master" $(cat "/proc/$master/task/$master/children" 2>/dev/null)
}

# The role's PostgreSQL backends (one per worker).
hot_pg_pids() {
	hot_psql "SELECT pid FROM pg_stat_activity WHERE usename = '$1'" | tr '\n' ' '
}

# utime+stime, in clock ticks, summed over the pids given.
hot_ticks() {
	local p t=0
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] || continue
		t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
	done
	echo "$t"
}

hot_statements() {
	hot_psql "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s
		JOIN pg_roles r ON r.oid = s.userid WHERE s.toplevel AND r.rolname = '$1'"
}

# Round trips per request: the mean of the "db=TRIPS/STATEMENTS" the
# pool logged for each request since byte $2 of its log $1; "-" for none.
hot_trips() {
	tail -c +"$(($2 + 1))" "$1" 2>/dev/null | awk '
		match($0, / db=[0-9]+\//) { n++; t += substr($0, RSTART + 4, RLENGTH - 5) }
		END { if (n) printf "%.1f", t / n; else print "-" }'
}

hot_max_ticket() { hot_psql "SELECT coalesce(max(id), 0) FROM tickets"; }

# Prints "req/s p50-ms p99-ms requests errors seconds" of a wrk run's output.
hot_wrk_parse() {
	awk '
	function ms(v) {
		if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
		if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
		if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
		return v + 0
	}
	/Requests\/sec/ { rps = $2 }
	/requests in/ { total = $1; d = $4; sub(/s,?$/, "", d); secs = d }
	/Non-2xx/ { bad += $NF }
	/Socket errors/ { for (i = 3; i <= NF; i++) { v = $i; sub(/,/, "", v); if (v ~ /^[0-9]+$/) bad += v } }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	END { printf "%s %s %s %d %d %s\n", rps, p50, p99, total, bad, secs }'
}

# One row of the table.
#   hot_row LABEL ROLE MIN_RPS MAX_P99_MS COUNT_ROWS WRK_ARGS...
# COUNT_ROWS=1: the rate is the tickets really created (rows counted before
# and after), not wrk's answers, and statements and CPU are per ticket
# created (an answer that created nothing still cost its share). MAX_P99_MS "-": no latency target;
# MIN_RPS "-": no target at all (a row to compare with).
hot_row() {
	local label=$1 role=$2 min_rps=$3 max_p99=$4 count=$5 pids pg t0 t1 g0 g1 s0 s1 m0 m1 out
	shift 5
	# A short warm-up: connections, prepared statements, plans, pages.
	wrk -t2 -c16 -d2s "$@" >/dev/null 2>&1 || true
	pids=$(hot_pool_pids "$role")
	pg=$(hot_pg_pids "$role")
	hot_psql "SELECT pg_stat_statements_reset()" >/dev/null
	[ "$count" = 1 ] && m0=$(hot_max_ticket)
	log="$var/log/${role#csdesk_}.log"
	l0=$(stat -c %s "$log" 2>/dev/null || echo 0)
	t0=$(hot_ticks $pids)
	g0=$(hot_ticks $pg)
	out=$(wrk -t2 -c16 -d"${secs}s" --latency "$@" 2>&1 | hot_wrk_parse)
	t1=$(hot_ticks $pids)
	g1=$(hot_ticks $pg)
	s1=$(hot_statements "$role")
	trips=$(hot_trips "$log" "$l0")
	[ "$count" = 1 ] && m1=$(hot_psql "SELECT count(*) FROM tickets WHERE id > $m0")
	echo "$out" | awk -v label="$label" -v count="$count" -v made="${m1:-0}" \
		-v st="$s1" -v prog=$((t1 - t0)) -v pgt=$((g1 - g0)) -v hz="$(getconf CLK_TCK)" \
		-v min="$min_rps" -v maxp="$max_p99" -v trips="$trips" '{
		rps = $1; n = $4
		if (count == 1 && $6 > 0) rps = made / $6
		d = count == 1 ? made : n
		d = d > 0 ? d : 1
		ok = rps >= min && (maxp == "-" || $3 <= maxp)
		target = ">= " min "/s" (maxp == "-" ? "" : ", p99 <= " maxp)
		if (min == "-") { target = "-"; verdict = "" } else verdict = ok ? "met" : "MISSED"
		printf "%s\t%.0f\t%.2f\t%.2f\t%d\t%.1f\t%s\t%.2f\t%.2f\t%s\t%s\n", label, rps, $2, $3, $5,
			st / d, trips, prog * 1000 / hz / d, pgt * 1000 / hz / d, target, verdict
	}' >>"$var/hot.rows"
}

# A row for pgbench running SQL file $2 from 16 connections as role $3 with
# a target of $4 transactions a second: PostgreSQL alone, no web program.
hot_row_pgbench() {
	local out
	out=$("$(pg_bin)/pgbench" -n -M prepared -c 16 -j 2 -T "$secs" -f "$2" \
		"${hot_db%user=*}user=$3" 2>&1)
	echo "$out" | awk -v label="$1" -v min="$4" '
		/^tps = / { tps = $3 } /^latency average/ { lat = $4 }
		/failed transactions:/ { bad = $5 }
		END { printf "%s\t%.0f\t-\t%s avg\t%d\t-\t-\t-\t-\t>= %s/s\t%s\n", label, tps, lat, bad,
			min, (tps >= min ? "met" : "MISSED") }' >>"$var/hot.rows"
}

# A row with no target and no role: nginx alone (the ceiling).
hot_row_static() {
	local out
	wrk -t2 -c16 -d2s "$1" >/dev/null 2>&1 || true
	out=$(wrk -t2 -c16 -d"${secs}s" --latency "$1" 2>&1 | hot_wrk_parse)
	echo "$out" | awk -v label="$2" '{
		printf "%s\t%.0f\t%.2f\t%.2f\t%d\t-\t-\t-\t-\t(ceiling)\t\n", label, $1, $2, $3, $5 }' \
		>>"$var/hot.rows"
}

hot_table() {
	printf '\nthe hot path: wrk -t2 -c16 -d%ss through nginx; per request: top-level statements\n' "$secs"
	printf 'of the pool'"'"'s role, CPU ms of its workers and of their PostgreSQL backends\n\n'
	printf '%-34s %9s %7s %7s %7s %6s %6s %7s %7s  %-26s %s\n' page "req/s" "p50 ms" "p99 ms" \
		errors "stmts" "trips" "prog ms" "pg ms" target ""
	printf '%-34s %9s %7s %7s %7s %6s %6s %7s %7s  %-26s %s\n' ---------------------------------- \
		--------- ------- ------- ------- ------ ------ ------- ------- -------------------------- ------
	awk -F'\t' '{ printf "%-34s %9s %7s %7s %7s %6s %6s %7s %7s  %-26s %s\n",
		$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$var/hot.rows"
}
