# bench_warranty.sh — sourced by scripts/bench.sh: warranty at scale.
# BENCH_REGISTRATIONS=1000000 (and BENCH_CLAIMS, default a tenth of it):
# `csdesk gen --registrations --claims` (timed; over 200,000 generated
# customers when the database has none yet), then rows of the hot-path
# table (bench_hot.sh): the portal's "my products" of a generated customer
# and its product pages, and the console's claim queue over 40 views (every
# state, and keyset pages deep into each), with their statements and CPU
# per request; and the batch's warranty step with nothing due.
#
# Needs from bench.sh: top, var, base, secs, hot_db, staff, sign_in.

bench_warranty() {
	local db have extra="" email cookie claims=${BENCH_CLAIMS:-$((BENCH_REGISTRATIONS / 10))}
	db="host=127.0.0.1 port=$(cat "$var/pg.port") dbname=csdesk user=csdesk"
	have=$(hot_psql "SELECT count(*) FROM warranty_registrations")
	if [ -n "${BENCH_VAR:-}" ] && [ "$have" -ge "$BENCH_REGISTRATIONS" ]; then
		warranty_gen="gen: kept the $have registrations of $BENCH_VAR"
	else
		[ "$(hot_psql "SELECT count(*) FROM portal_users
			WHERE email LIKE 'gen%@gen.csdesk.test'")" = 0 ] &&
			extra="--tickets 0 --customers 200000 --force"
		warranty_gen=$(CSDESK_DB="$db" "${CSDESK_BUILD:-$top/build}/csdesk" gen $extra \
			--registrations "$BENCH_REGISTRATIONS" --claims "$claims" 2>/dev/null)
	fi
	# A generated customer who registered products, as they see them.
	email=$(hot_psql "SELECT u.email FROM warranty_registrations g
		JOIN portal_users u ON u.customer_id = g.customer_id
		WHERE u.email LIKE 'gen%@gen.csdesk.test' ORDER BY g.id DESC LIMIT 1")
	cookie=$(sign_in /login "$email" csdesk_session)
	hot_psql "SELECT '/products/' || g.id FROM warranty_registrations g
		JOIN portal_users u ON u.customer_id = g.customer_id
		WHERE u.email = '$email'" >"$var/products.paths"
	# The claim queue: each state's first page, and pages after claims spread
	# over the table (every 1 in 997 of each state, 4 per state at most).
	hot_psql "SELECT '/agent/claims?state=' || s FROM unnest(ARRAY['', 'submitted',
		'under_review', 'approved', 'rejected', 'fulfilled', 'closed', 'draft']) s
		UNION ALL SELECT '/agent/claims?state=' || state || '&after=' || id FROM (
		SELECT state, id, row_number() OVER (PARTITION BY state ORDER BY id) AS k
		FROM warranty_claims WHERE id % 997 = 0) c WHERE k <= 4" >"$var/claims.paths"
	hot_row "portal my products (one customer)" csdesk_portal 3000 15 0 -H "Cookie: $cookie" \
		"$base/products"
	hot_row "portal product page (its units)" csdesk_portal 3000 15 0 -H "Cookie: $cookie" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/products.paths"
	hot_row "console claim queue (40 views)" csdesk_console 3000 15 0 -H "Cookie: $staff" \
		-s "$top/bench/rotate.lua" "$base" -- "$var/claims.paths"
	# The batch's warranty step once what was due is done: its cost on a
	# quiet minute (the step times itself, as the SLA step does).
	# The stack's own batch loop may hold the step's lock for a moment: try again.
	local try
	CSDESK_DB="$db" "${CSDESK_BUILD:-$top/build}/csdesk" batch >/dev/null 2>&1 || true
	for try in 1 2 3 4 5; do
		warranty_tick=$(CSDESK_DB="$db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null |
			sed -n 's/^batch: warranty: 0 coverage rows recomputed, 0 claims .*(\([0-9.]*\) ms)$/\1/p')
		[ -n "$warranty_tick" ] && break
		sleep 1
	done
}

bench_warranty_summary() {
	printf '\nwith %s warranty registrations and %s claims (csdesk gen):\n' \
		"$BENCH_REGISTRATIONS" "${BENCH_CLAIMS:-$((BENCH_REGISTRATIONS / 10))}"
	printf '%s\n' "$warranty_gen"
	printf 'warranty batch step, nothing due: %s ms\n' "${warranty_tick:-not measured}"
}
