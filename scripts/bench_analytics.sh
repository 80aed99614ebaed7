# bench_analytics.sh — sourced by scripts/bench.sh: the analytics rows of
# the big-data phase. After `csdesk gen` (two years of history), fills
# the analytics rollup over every day of it (timed, one statement), then
# measures the pages that read it at a million tickets, each with the
# hot table's statements and CPU per request (bench_hot.sh):
#
#   the supervisor's dashboard (/agent/: KPI tiles, trouble counts,
#   critical cases, open by priority, agents today) — target p99 <= 50 ms;
#   the SLA report over the two years by team, per month, and over 30
#   days per day — target p99 <= 50 ms.
#
# Needs from bench.sh: top, var, base, secs, hot_db, sign_in and the
# hot_* functions.

analytics_bench() {
	local t0 t1 days sup from
	t0=$(date +%s.%N)
	days=$(hot_psql "SELECT count(analytics_rollup_day(d::date, 'UTC'))
		FROM generate_series((SELECT min(created_at) FROM tickets)::date,
			(now() AT TIME ZONE 'UTC')::date, interval '1 day') d")
	t1=$(date +%s.%N)
	analytics_fill=$(awk -v d="$days" -v a="$t0" -v b="$t1" -v r="$(hot_psql \
		"SELECT count(*) FROM analytics_daily")" 'BEGIN {
		printf "analytics rollup: %d days, %d rows in %.0f s (%.0f ms a day)", d, r, b - a,
			(b - a) * 1000 / (d > 0 ? d : 1) }')
	from=$(hot_psql "SELECT to_char((SELECT min(day) FROM analytics_daily), 'YYYY-MM-DD')")
	sup=$(sign_in /agent/login sam@demo.csdesk.test csdesk_staff)
	hot_row "supervisor dashboard (/agent/)" csdesk_console - 50 0 -H "Cookie: $sup" \
		"$base/agent/"
	hot_row "SLA report: 2 years by team, monthly" csdesk_console - 50 0 \
		-H "Cookie: $sup" "$base/agent/analytics?report=sla&by=team&grain=month&from=$from"
	hot_row "SLA report: 30 days, daily" csdesk_console - 50 0 -H "Cookie: $sup" \
		"$base/agent/analytics?report=sla&by=all&grain=day&from=$(hot_psql \
		"SELECT to_char(now()::date - 29, 'YYYY-MM-DD')")"
}
