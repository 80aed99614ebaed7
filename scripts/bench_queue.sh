# bench_queue.sh — sourced by scripts/bench.sh: the console queue's 40
# views split by kind, so a slow kind shows itself instead of hiding in
# the mean of the "console queue (40 views)" row: the SLA states read
# from the stored state (at risk, breached in a queue: 048), one agent's
# high priority by SLA due time or age (048's agent indexes), the priority
# sort, and the plain views. No targets: rows to compare from run to run.
#
# Needs from bench.sh: top, var, base, secs, staff (a console cookie), the
# views in $var/views.paths, and bench_hot.sh's helpers.

queue_bench() {
	local row key label pattern
	for row in "atrisk|at risk|sla=at_risk" "breached|breached in a queue|sla=breached" \
		"agent|an agent's high by SLA, age|priority=high&sort=(sla|age)" \
		"priority|priority sort|sort=priority"; do
		key=${row%%|*}; label=${row#*|}; pattern=${label#*|}; label=${label%%|*}
		grep -E "$pattern" "$var/views.paths" >"$var/views.$key.paths" || continue
		hot_row "queue: $label" csdesk_console - - 0 -H "Cookie: $staff" \
			-s "$top/bench/rotate.lua" "$base" -- "$var/views.$key.paths"
	done
}
