# bench_api.sh — sourced by scripts/bench.sh: the JSON API's rows of the
# hot-path table (bench_hot.sh). An integration reads tickets one by one
# (every field, the assignment and the SLA state: the ticket's read and
# one statement for its stored SLA times and ISO times), so the row draws
# 2,000 tickets at random, as the console ticket page's row does.
#
# Needs from bench.sh: var, base, top, and $var/tickets.paths (console
# ticket paths) written first.

# $1: an API key.
bench_api_rows() {
	sed 's#^/agent/tickets/#/api/v1/tickets/#' "$var/tickets.paths" >"$var/api-tickets.paths"
	hot_row "API ticket (2,000 random)" csdesk_console 3000 15 0 \
		-H "Authorization: Bearer $1" -s "$top/bench/rotate.lua" "$base" -- \
		"$var/api-tickets.paths"
}
