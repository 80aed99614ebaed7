# bench_analytics.sh — sourced by scripts/bench.sh: the analytics rows of
# the big-data phase. After `csdesk gen` (two years of history), fills
# the analytics rollup over every day of it (timed, one statement) and
# rolls up today (timed: the batch's cost every minute), then measures the
# pages that read it at a million tickets:
#
#   the supervisor's dashboard (/agent/: KPI tiles, at risk and breached
#   now, critical cases, open by priority, agents today);
#   the SLA report over the two years by team, per month, and over 30
#   days per day.
#
# Each page twice: as the hot table's rows (-c16, throughput and the
# statements and CPU per request) and for latency with one request per
# worker (-c2, as the KB search's latency row), the one the target of
# p99 <= 50 ms is for.
#
# Needs from bench.sh: top, var, base, secs, hot_db, sign_in and the
# hot_* functions (bench_hot.sh).

# A latency row: wrk -t2 -c2 on URL $3 with the cookie $4, target p99 <= $2 ms.
analytics_latency_row() {
	local out
	wrk -t2 -c2 -d2s -H "Cookie: $4" "$3" >/dev/null 2>&1 || true
	out=$(wrk -t2 -c2 -d"${secs}s" --latency -H "Cookie: $4" "$3" 2>&1 | hot_wrk_parse)
	echo "$out" | awk -v label="$1" -v maxp="$2" '{
		printf "%s\t%.0f\t%.2f\t%.2f\t%d\t-\t-\t-\t-\t-c2: p99 <= %s\t%s\n", label, $1, $2, $3,
			$5, maxp, ($3 <= maxp && $5 == 0 ? "met" : "MISSED") }' >>"$var/hot.rows"
}

analytics_bench() {
	local t0 t1 t2 days sup from month today
	t0=$(date +%s.%N)
	days=$(hot_psql "SELECT count(analytics_rollup_day(d::date, 'UTC'))
		FROM generate_series((SELECT min(created_at) FROM tickets)::date,
			(now() AT TIME ZONE 'UTC')::date, interval '1 day') d")
	t1=$(date +%s.%N)
	hot_psql "SELECT analytics_rollup_day((now() AT TIME ZONE 'UTC')::date, 'UTC')" >/dev/null
	t2=$(date +%s.%N)
	analytics_fill=$(awk -v d="$days" -v a="$t0" -v b="$t1" -v c="$t2" -v r="$(hot_psql \
		"SELECT count(*) FROM analytics_daily")" 'BEGIN {
		printf "analytics rollup: %d days, %d rows in %.0f s; today again (the batch, every minute): %.1f s",
			d, r, b - a, c - b }')
	from=$(hot_psql "SELECT to_char((SELECT min(day) FROM analytics_daily), 'YYYY-MM-DD')")
	month=$(hot_psql "SELECT to_char(now()::date - 29, 'YYYY-MM-DD')")
	sup=$(sign_in /agent/login sam@demo.csdesk.test csdesk_staff)
	hot_row "supervisor dashboard (/agent/)" csdesk_console - - 0 -H "Cookie: $sup" \
		"$base/agent/"
	hot_row "SLA report: 2 years by team, monthly" csdesk_console - - 0 \
		-H "Cookie: $sup" "$base/agent/analytics?report=sla&by=team&grain=month&from=$from"
	analytics_latency_row "supervisor dashboard, latency" 50 "$base/agent/" "$sup"
	analytics_latency_row "SLA report 2 years, latency" 50 \
		"$base/agent/analytics?report=sla&by=team&grain=month&from=$from" "$sup"
	analytics_latency_row "SLA report 30 days, latency" 50 \
		"$base/agent/analytics?report=sla&by=all&grain=day&from=$month" "$sup"
}
