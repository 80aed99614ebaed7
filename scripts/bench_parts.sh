# bench_parts.sh — sourced by scripts/bench.sh: service parts at scale.
# With BENCH_MOVEMENTS=5000000, `csdesk gen --movements` loads that many
# stock movements (timed; a kept BENCH_VAR that has them is not loaded
# again) over a parts catalogue, warehouses and a van per technician, with
# parts used on the appointments the database has; then the nightly
# proposal runs (timed), and hot_row (bench_hot.sh) measures, with
# statements and CPU per request:
#   - a technician's parts page for their busiest job (Tina, of the demo);
#   - the job report of completed jobs with parts (up to 200, rotating);
#   - the busiest van's stock page and the transfers to decide;
#   - the movement history of the part with the most movements: its first
#     page, and 40 pages at depths spread over all of it (?before=, keyset);
#   - the field reports: per technician and parts by ticket (30 days), parts
#     by customer (a year), from their daily rollup, which is first filled
#     to yesterday (timed: the batch's step "field-rollup" does it
#     PARTS_ROLLUP_STEP days a run).
#
# Needs from bench.sh: top, var, base, secs, staff (an agent's cookie, for
# the job reports), sign_in, and hot_setup done. The stock pages, transfers
# and reports are a supervisor's: Sam signs in for them (an agent's cookie
# measured their 403).

bench_parts() {
	local n=$1 db have tina sup job van part part_moves t0 t1
	db="host=127.0.0.1 port=$(cat "$var/pg.port") dbname=csdesk user=csdesk"
	have=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT count(*) FROM stock_movements")
	if [ -n "${BENCH_VAR:-}" ] && [ "$have" -ge "$n" ]; then
		parts_gen="gen: kept the $have movements of $BENCH_VAR"
	else
		parts_gen=$(CSDESK_DB="$db" "${CSDESK_BUILD:-$top/build}/csdesk" gen --movements "$n")
	fi
	# The nightly proposal over every level with a rule, timed.
	"$(pg_bin)/psql" -Atq "$db" -c "DELETE FROM settings WHERE key = 'parts_proposed_on'" \
		>/dev/null
	t0=$(date +%s%N)
	parts_batch=$(CSDESK_DB="$db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null |
		sed -n 's/^batch: parts: //p')
	t1=$(date +%s%N)
	job=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT u.appointment_id FROM part_usages u
		JOIN staff s ON s.id = u.technician_id WHERE s.email = 'tina@demo.csdesk.test'
		GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
	van=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT location_id FROM stock_levels
		GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
	"$(pg_bin)/psql" -Atq "$db" -c "SELECT '/agent/field/jobs/' || a.id || '/report'
		FROM appointments a WHERE a.status = 'completed' AND EXISTS (SELECT 1
		FROM part_usages u WHERE u.appointment_id = a.id) ORDER BY a.id DESC LIMIT 200" \
		>"$var/job_reports.paths"
	if [ -n "$job" ]; then
		tina=$(sign_in /agent/login tina@demo.csdesk.test csdesk_staff)
		parts_of_job=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT count(*) FROM part_usages
			WHERE appointment_id = $job")
		hot_row "technician's parts page ($parts_of_job parts)" csdesk_console 500 30 0 \
			-H "Cookie: $tina" "$base/agent/field/jobs/$job/parts"
	fi
	[ -s "$var/job_reports.paths" ] && hot_row "job report (completed jobs)" csdesk_console \
		500 30 0 -H "Cookie: $staff" -s "$top/bench/rotate.lua" "$base" -- \
		"$var/job_reports.paths"
	sup=$(sign_in /agent/login sam@demo.csdesk.test csdesk_staff)
	[ -n "$van" ] && hot_row "stock page (busiest location)" csdesk_console 500 30 0 \
		-H "Cookie: $sup" "$base/agent/stock/locations/$van"
	# The part moved most, and keys spread over its whole history (every
	# 1/40th of it), so the deep pages are measured as well as the first.
	part=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT part_id FROM stock_movements
		GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
	if [ -n "$part" ]; then
		part_moves=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT count(*) FROM stock_movements
			WHERE part_id = $part")
		"$(pg_bin)/psql" -Atq "$db" -c "SELECT '/agent/stock/parts/$part/movements?before='
			|| id FROM (SELECT id, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n,
			count(*) OVER () AS total FROM stock_movements WHERE part_id = $part) m
			WHERE n % greatest(total / 40, 1) = 0 LIMIT 40" >"$var/part_moves.paths"
		hot_row "part movements, first page ($part_moves)" csdesk_console 500 30 0 \
			-H "Cookie: $sup" "$base/agent/stock/parts/$part/movements"
		hot_row "part movements, 40 deep pages" csdesk_console 500 30 0 -H "Cookie: $sup" \
			-s "$top/bench/rotate.lua" "$base" -- "$var/part_moves.paths"
	fi
	hot_row "transfers to decide" csdesk_console 500 30 0 -H "Cookie: $sup" \
		"$base/agent/stock/transfers"
	t0=$(date +%s%N)
	parts_rollup=$("$(pg_bin)/psql" -Atq "$db" -c "SELECT count(*) || ' days, '
		|| coalesce(sum(field_rollup_day(d)), 0) || ' rows' FROM field_rollup_due(100000) d")
	parts_rollup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	hot_row "field report: technicians, 30 days" csdesk_console 20 500 0 -H "Cookie: $sup" \
		"$base/agent/reports/field"
	hot_row "field report: parts by ticket, 30 days" csdesk_console 20 500 0 -H "Cookie: $sup" \
		"$base/agent/reports/field?report=by-ticket"
	hot_row "field report: parts by customer, year" csdesk_console 5 2000 0 \
		-H "Cookie: $sup" "$base/agent/reports/field?report=by-customer&from=$(date -u -d '-365 days' +%F)&to=$(date -u +%F)"
	parts_propose_ms=$(( (t1 - t0) / 1000000 ))
}

bench_parts_summary() {
	printf '\nwith %s stock movements (csdesk gen --movements):\n%s\n' "$BENCH_MOVEMENTS" \
		"$parts_gen"
	printf 'the batch with the nightly proposal: %s (%s ms in all)\n' "${parts_batch:-?}" \
		"${parts_propose_ms:-?}"
	printf 'the field rollup filled: %s (%s ms)\n' "${parts_rollup:-?}" "${parts_rollup_ms:-?}"
}
