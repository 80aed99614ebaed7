# bench_returns.sh — sourced by scripts/bench.sh: returns at scale. With
# BENCH_RETURNS=100000, `csdesk gen --returns` loads that many returns
# (timed; a kept BENCH_VAR that has them already is not loaded again), and
# hot_row (bench_hot.sh) measures, with statements and CPU per request:
#   - the console's returns queue, newest first (an agent), and the same
#     over 40 views: each state, and pages further down (?before=);
#   - the portal's "My returns" of the customer with the most returns.
#
# Needs from bench.sh: top, var, base, secs, staff (an agent's cookie),
# sign_in, and hot_setup done.

bench_returns() {
	local n=$1 db have email who
	db="host=127.0.0.1 port=$(cat "$var/pg.port") dbname=csdesk user=csdesk"
	have=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT count(*) FROM returns")
	if [ -n "${BENCH_VAR:-}" ] && [ "$have" -ge "$n" ]; then
		returns_gen="gen: kept the $have returns of $BENCH_VAR"
	else
		returns_gen=$(CSDESK_DB="$db" "${CSDESK_BUILD:-$top/build}/csdesk" gen --returns "$n")
	fi
	"$(pg_bin)/psql" -Atq "$db" -c "SELECT '/agent/returns?state=' || s
		FROM unnest(ARRAY['requested', 'approved', 'awaiting_shipment', 'received',
			'inspected', 'dispositioned', 'refunded', 'replaced', 'credited', 'closed',
			'rejected', 'cancelled']) s
		UNION ALL SELECT '/agent/returns?before=' || id
		FROM (SELECT id FROM returns ORDER BY random() LIMIT 28) r" >"$var/returns.paths"
	hot_row "console returns queue" csdesk_console 1000 20 0 -H "Cookie: $staff" \
		"$base/agent/returns"
	hot_row "console returns queue (40 views)" csdesk_console 1000 20 0 -H "Cookie: $staff" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/returns.paths"
	email=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT u.email FROM returns r
		JOIN portal_users u ON u.id = r.requester_id
		GROUP BY u.email ORDER BY count(*) DESC LIMIT 1")
	returns_of=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT count(*) FROM returns r
		JOIN portal_users u ON u.id = r.requester_id WHERE u.email = '$email'")
	who=$(sign_in /login "$email" csdesk_session)
	hot_row "portal my returns ($returns_of theirs)" csdesk_portal 1000 20 0 \
		-H "Cookie: $who" "$base/returns"
}
