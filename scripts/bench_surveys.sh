# bench_surveys.sh — sourced by scripts/bench.sh: survey and quality-review
# rows for the hot path's table, at the scale of BENCH_TICKETS. One answered
# invitation per fifth ticket, a follow-up and a skip per tenth, and a QA
# review per twentieth (bench/surveys_fill.sql, run once per database);
# then the lists that grow, walked page by page through nginx: the
# supervisors' follow-ups, the admins' skips, the QA reviews (open and
# done), an agent's own reviews; and the batch's periodic step over every
# customer with nothing due (its "surveys" line, timed; the step scans at
# most hourly when nobody is due, and this is the cost of that scan).
#
# Needs from bench.sh: top, var, base, secs, gen_db, sign_in, hot_row and
# hot_psql.

bench_surveys() {
	local sup admin paths
	hot_psql "SELECT 1 FROM qa_scorecards WHERE name = 'Bench card'" | grep -q 1 ||
		"$(pg_bin)/psql" -Atq "$gen_db" -f "$top/bench/surveys_fill.sql" >/dev/null
	sup=$(sign_in /agent/login sam@demo.csdesk.test csdesk_staff)
	admin=$(sign_in /agent/login admin@demo.csdesk.test csdesk_staff)
	# First pages and pages deep in the lists (keyset: ?before=id).
	hot_psql "SELECT '/agent/surveys/follow-ups?before=' || id FROM survey_followups
		WHERE status = 'open' ORDER BY random() LIMIT 200" >"$var/followups.paths"
	echo "/agent/surveys/follow-ups" >>"$var/followups.paths"
	hot_psql "(SELECT '/agent/qa?before=' || id FROM qa_reviews WHERE status = 'pending'
		ORDER BY random() LIMIT 100) UNION ALL (SELECT '/agent/qa?status=done&before=' || id
		FROM qa_reviews WHERE status = 'done' ORDER BY random() LIMIT 100)" >"$var/qa.paths"
	hot_psql "SELECT '/agent/admin/surveys/skips?before=' || id FROM survey_skips
		ORDER BY random() LIMIT 200" >"$var/skips.paths"
	hot_row "survey follow-ups (200 pages)" csdesk_console 500 50 0 -H "Cookie: $sup" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/followups.paths"
	hot_row "QA reviews (200 pages)" csdesk_console 500 50 0 -H "Cookie: $sup" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/qa.paths"
	hot_row "survey skips (200 pages)" csdesk_console 500 50 0 -H "Cookie: $admin" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/skips.paths"
	# The periodic NPS over every customer, each asked within the period
	# (bench/surveys_fill.sql): a tick with nothing due.
	CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch >/dev/null 2>&1 || true
	# The scan itself (it runs at most hourly when nobody is due).
	hot_psql "DELETE FROM settings WHERE key = 'survey_periodic_next'" >/dev/null
	surveys_tick=$(CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null |
		sed -n 's/^batch: surveys: .*(\([0-9.]*\) ms)$/\1/p')
	printf 'Surveys batch step, periodic NPS over %s customers, nothing due: %s ms\n' \
		"$(hot_psql "SELECT count(*) FROM customers")" "${surveys_tick:-not measured}" \
		>"$var/surveys.line"
}
