# bench_automation.sh — sourced by scripts/bench.sh: what triggers,
# automations and waiting-ticket assignment cost at scale (issue 15).
#
#   automation_bench_rules N   N active rules (bench/automation_rules.sql)
#                              before the creation rows, so that creation
#                              is measured with them (target >= 1,000/s)
#   automation_bench_tick      prints the ms the batch's assign,
#                              automations and triggers steps took in a
#                              tick with nothing due (after one that
#                              absorbs what was), and their sum
#   automation_bench_assign    a shift of 20 agents with room starts in
#                              front of the waiting tickets
#                              (bench/assign_agents.sql): how many the
#                              next tick's assign step gave them and its
#                              ms (at most ASSIGN_WAITING_PER_TICK, 500);
#                              then the shift ends again
#   automation_bench_report    their lines, against the 200 ms target
#
# Needs from bench.sh: top, gen_db (a conninfo as the owner).

automation_bench_rules() {
	"$(pg_bin)/psql" -Atq -v n="$1" "$gen_db" -f "$top/bench/automation_rules.sql" | tail -1
}

# The "(N ms)" of a step's line in a batch's output.
automation_step_ms() {
	sed -n "s/^batch: $1: .*(\([0-9.]*\) ms)\$/\1/p" | head -1
}

automation_bench_tick() {
	local out assign time trig
	CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch >/dev/null 2>&1 || true
	out=$(CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null)
	assign=$(echo "$out" | automation_step_ms assign)
	time=$(echo "$out" | automation_step_ms automations)
	trig=$(echo "$out" | automation_step_ms triggers)
	echo "${assign:-?} ${time:-?} ${trig:-?}" | awk '{ printf "%s %s %s %.1f\n", $1, $2, $3,
		$1 + $2 + $3 }'
}

automation_bench_assign() {
	local out waiting
	waiting=$("$(pg_bin)/psql" -Atq -v on=true "$gen_db" -f "$top/bench/assign_agents.sql" |
		tail -1)
	out=$(CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null |
		sed -n 's/^batch: assign: \([0-9]*\) waiting tickets assigned (\([0-9.]*\) ms)$/\1 \2/p')
	"$(pg_bin)/psql" -Atq -v on=false "$gen_db" -f "$top/bench/assign_agents.sql" >/dev/null
	echo "$waiting ${out:-? ?}"
}

automation_bench_report() {
	local rules=$1 assign=$3 waiting
	set -- $2
	waiting=$("$(pg_bin)/psql" -Atq "$gen_db" -c "SELECT count(*) FROM tickets
		WHERE assignee_id IS NULL AND status IN ('new', 'reopened')")
	printf 'automation batch tick, nothing due, %s active rules, %s tickets waiting for an agent:\n' \
		"$rules" "$waiting"
	printf '  assign %s ms + automations %s ms + triggers %s ms = %s ms (target 200 ms): %s\n' \
		"$1" "$2" "$3" "$4" "$(awk -v t="$4" 'BEGIN { print (t <= 200 ? "met" : "MISSED") }')"
	[ -n "$assign" ] || return 0
	set -- $assign
	printf '  a shift of 20 agents starts, %s tickets waiting: the next tick assigned %s in %s ms' \
		"$1" "$2" "$3"
	awk -v n="$2" -v ms="$3" 'BEGIN {
		if (n > 0) printf " (%.2f ms each; at most 500 a tick)", ms / n }'
	printf '\n'
}
