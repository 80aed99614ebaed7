# bench_site.sh — sourced by scripts/bench.sh: the batch's business-hours
# reminders and webhook deliveries at scale (issue 15), beside the 200
# rules of bench_automation.sh.
#
#   site_bench_setup     the follow-up chain counted in business hours and
#                        two webhooks posting to a receiver started here
#                        (bench/site_batch.sql; tests/lib/hooksink.py)
#   site_bench_tick      the ms of a tick with nothing due, per step:
#                        assign, automations (business-hours rules in),
#                        triggers, webhooks; and their sum
#   site_bench_due N     the automations step with N business-hours
#                        reminders due (and mailed), and the webhooks step
#                        with N deliveries due (at most 100 a run), each in
#                        ms; run for two N to see the cost per item stay put
#   site_bench_report    the lines, against the 200 ms target
#   site_bench_stop      stops the receiver
#
# Needs from bench.sh: top, var, gen_db (a conninfo as the owner).

site_psql() { "$(pg_bin)/psql" -Atq "$gen_db" "$@"; }

site_batch() {
	CSDESK_DB="$gen_db" "${CSDESK_BUILD:-$top/build}/csdesk" batch 2>/dev/null
}

# The "(N ms)" of a step's line in a batch's output.
site_step_ms() {
	sed -n "s/^batch: $1: .*(\([0-9.]*\) ms)\$/\1/p" | head -1
}

site_bench_setup() {
	local port
	port=$(free_port)
	mkdir -p "$var/hooksink"
	python3 "$top/tests/lib/hooksink.py" "$port" "$var/hooksink" >/dev/null 2>&1 &
	echo $! >"$var/hooksink.pid"
	site_psql -v hook="http://127.0.0.1:$port/hook" -f "$top/bench/site_batch.sql" | tail -1
	# The first tick absorbs what the new rules find in their look-back
	# (30 days of pending tickets enter automation_waits; the due fire).
	site_batch >/dev/null || true
}

site_bench_tick() {
	local out
	site_batch >/dev/null || true
	out=$(site_batch)
	echo "$(echo "$out" | site_step_ms assign) $(echo "$out" | site_step_ms automations)" \
		"$(echo "$out" | site_step_ms triggers) $(echo "$out" | site_step_ms webhooks)" |
		awk '{ printf "%s %s %s %s %.1f\n", $1, $2, $3, $4, $1 + $2 + $3 + $4 }'
}

# N pending tickets whose 24-business-hour reminder comes due now (their
# earlier firing forgotten), and N webhook deliveries due now; one batch.
site_bench_due() {
	local n=$1 out
	site_psql -v n="$n" >/dev/null <<'EOF'
WITH r AS (SELECT id FROM automation_rules WHERE name = 'bench business reminder 24'),
t AS (SELECT id, status_changed_at FROM tickets WHERE status = 'pending_customer'
	AND status_changed_at < now() - interval '6 days'
	ORDER BY status_changed_at DESC LIMIT :n),
f AS (DELETE FROM automation_firings x USING r, t WHERE x.rule_id = r.id AND x.ticket_id = t.id)
INSERT INTO automation_waits (rule_id, ticket_id, basis, due_at)
SELECT r.id, t.id, t.status_changed_at, now() FROM r, t
ON CONFLICT (rule_id, ticket_id, basis) DO UPDATE SET due_at = now();
INSERT INTO webhook_deliveries (webhook_id, source, event, payload)
SELECT w.id, 'bench:' || gen_random_uuid(), 'ticket.replied', '{"bench": true}'
FROM (SELECT id FROM webhooks WHERE name = 'bench hook 1') w, generate_series(1, :n);
EOF
	out=$(site_batch)
	echo "$n $(echo "$out" | site_step_ms automations) $(echo "$out" | site_step_ms webhooks)"
	# What the webhooks step left (over 100) is posted now, untimed.
	while site_psql -c "SELECT 1 FROM webhook_deliveries WHERE state = 'pending'
		AND next_attempt_at <= now() LIMIT 1" | grep -q 1; do
		site_batch >/dev/null || break
	done
}

site_bench_report() {
	local tick=$1 waits pending
	shift
	waits=$(site_psql -c "SELECT count(*) FROM automation_waits")
	pending=$(site_psql -c "SELECT count(*) FROM tickets WHERE status = 'pending_customer'")
	set -- $tick "$@"
	printf 'batch tick, nothing due, with 3 business-hours rules (%s tickets waiting for their hours, %s pending customer) and 2 webhooks:\n' \
		"$waits" "$pending"
	printf '  assign %s + automations %s + triggers %s + webhooks %s = %s ms (target 200 ms): %s\n' \
		"$1" "$2" "$3" "$4" "$5" "$(awk -v t="$5" 'BEGIN { print (t <= 200 ? "met" : "MISSED") }')"
	shift 5
	while [ $# -ge 3 ]; do
		awk -v n="$1" -v a="$2" -v w="$3" 'BEGIN {
			printf "  %s due: business-hours reminders %s ms (%.2f ms each), webhook deliveries %s ms (%.2f ms each, at most 100 a run)\n",
				n, a, a / n, w, w / (n < 100 ? n : 100) }'
		shift 3
	done
}

site_bench_stop() {
	[ -s "$var/hooksink.pid" ] && kill "$(cat "$var/hooksink.pid")" 2>/dev/null
	rm -f "$var/hooksink.pid"
}
