# bench_field.sh — sourced by scripts/bench.sh: field service at scale.
# BENCH_APPOINTMENTS=500000 [BENCH_TECHNICIANS=200]: `csdesk gen
# --technicians --appointments` (timed; a kept BENCH_VAR that has them
# already is not loaded again), then rows of the hot-path table
# (bench_hot.sh), with statements and CPU per request:
#   - the technician's day (a generated technician, 40 days around today:
#     four jobs each, with customer, coverage and forms);
#   - the dispatch board (a supervisor, 40 weeks and pages of technicians:
#     20 technicians by 7 days of blocks, the week's unassigned jobs, one of
#     them ranked over every technician with its reasons).
#
# Needs from bench.sh: top, var, base, secs, sign_in, and hot_setup done.

bench_field() {
	local db have techs=${BENCH_TECHNICIANS:-200} email tech sup
	db="host=127.0.0.1 port=$(cat "$var/pg.port") dbname=csdesk user=csdesk"
	have=$(hot_psql "SELECT count(*) FROM appointments")
	if [ -n "${BENCH_VAR:-}" ] && [ "$have" -ge "$BENCH_APPOINTMENTS" ]; then
		field_gen="gen: kept the $have appointments of $BENCH_VAR"
	else
		field_gen=$(CSDESK_DB="$db" "${CSDESK_BUILD:-$top/build}/csdesk" gen \
			--technicians "$techs" --appointments "$BENCH_APPOINTMENTS" 2>/dev/null)
	fi
	email=$(hot_psql "SELECT email FROM staff WHERE email LIKE 'tech%@gen.csdesk.test'
		ORDER BY id DESC LIMIT 1")
	tech=$(sign_in /agent/login "$email" csdesk_staff)
	sup=$(sign_in /agent/login sam@demo.csdesk.test csdesk_staff)
	hot_psql "SELECT '/agent/field/day?day=' || (current_date + d)::text
		FROM generate_series(-20, 19) d" >"$var/field_day.paths"
	# Weeks back and ahead, and the next pages of technicians of some.
	hot_psql "SELECT '/agent/field/board?week=' || (current_date + 7 * w)::text
		FROM generate_series(-15, 14) w
		UNION ALL SELECT '/agent/field/board?week=' || current_date::text || '&after=' || id
		FROM (SELECT s.id FROM technicians tc JOIN staff s ON s.id = tc.staff_id
			ORDER BY s.name, s.id OFFSET 19 LIMIT 10) p" >"$var/field_board.paths"
	hot_row "technician's day (40 days)" csdesk_console 1000 20 0 -H "Cookie: $tech" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/field_day.paths"
	hot_row "dispatch board (40 views)" csdesk_console 200 100 0 -H "Cookie: $sup" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/field_board.paths"
}

bench_field_summary() {
	printf '\nwith %s appointments of %s technicians (csdesk gen):\n%s\n' \
		"$BENCH_APPOINTMENTS" "${BENCH_TECHNICIANS:-200}" "$field_gen"
}
