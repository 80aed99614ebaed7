# bench_create.sh — sourced by scripts/bench.sh: what one ticket creation
# costs inside PostgreSQL and where it goes (issue 11), beside the
# "create:" rows that measure the rate.
#
#   create_cost_bench   runs bench/create_ticket.sql from one connection
#                       for $secs seconds and writes $var/create_cost.line:
#                       the backend's CPU and the WAL a ticket costs
#                       (bytes, full-page images: the cluster's, so the
#                       batch's consumers of the new tickets' events are
#                       in it) and the self time of each PL/pgSQL
#                       function of the creation (track_functions, on for
#                       the run only; ticket_open_row's own is the INSERT
#                       and its foreign-key checks)
#
# Needs from bench.sh: top, var, secs, gen_db (a conninfo as the owner).

create_cost_psql() { "$(pg_bin)/psql" -Atq "$gen_db" -c "$1"; }

create_cost_bench() {
	local job pid m0 t0 w0 t1 w1 n parts
	create_cost_psql "ALTER SYSTEM SET track_functions = 'pl'" >/dev/null
	create_cost_psql "SELECT pg_reload_conf()" >/dev/null
	"$(pg_bin)/pgbench" -n -M prepared -c 1 -T $((secs + 3)) -f "$top/bench/create_ticket.sql" \
		"${gen_db%user=*}user=csdesk_console application_name=create_cost" >/dev/null 2>&1 &
	job=$!
	sleep 2	# connected, prepared, planned
	pid=$(create_cost_psql "SELECT pid FROM pg_stat_activity
		WHERE application_name = 'create_cost'")
	create_cost_psql "SELECT pg_stat_reset()" >/dev/null
	m0=$(create_cost_psql "SELECT coalesce(max(id), 0) FROM tickets")
	w0=$(create_cost_psql "SELECT wal_bytes || ' ' || wal_fpi FROM pg_stat_wal")
	t0=$(hot_ticks $pid)
	sleep "$secs"
	t1=$(hot_ticks $pid)
	w1=$(create_cost_psql "SELECT wal_bytes || ' ' || wal_fpi FROM pg_stat_wal")
	n=$(create_cost_psql "SELECT count(*) FROM tickets WHERE id > $m0")
	parts=$(create_cost_psql "SELECT string_agg(funcname || ' ' ||
		round((self_time / $((n > 0 ? n : 1)))::numeric, 3), ', ' ORDER BY self_time DESC)
		FROM pg_stat_user_functions WHERE calls > 0 AND funcname IN ('ticket_open_row',
			'sla_compute', 'add_business_minutes_list', 'sla_policy_for', 'ticket_route_rule',
			'ticket_pick_agent', 'ticket_holders_track', 'tickets_keep_counts',
			'ticket_number_next')")
	wait "$job" || true	# its own job only: other benches leave theirs running
	create_cost_psql "ALTER SYSTEM RESET track_functions" >/dev/null
	create_cost_psql "SELECT pg_reload_conf()" >/dev/null
	echo "$n $((t1 - t0)) $w0 $w1" | awk -v hz="$(getconf CLK_TCK)" -v parts="$parts" '{
		n = $1 > 0 ? $1 : 1
		printf "creation in PostgreSQL, one connection (bench/create_ticket.sql, %d tickets):" \
			" backend CPU %.2f ms a ticket, WAL %.0f bytes (%.2f full-page images);" \
			" inside, ms a ticket: %s\n",
			$1, $2 * 1000 / hz / n, ($5 - $3) / n, ($6 - $4) / n, parts }' >"$var/create_cost.line"
}
