# bench_workspace.sh — sourced by scripts/bench.sh: the workspace's live
# polling measured as 200 open tabs. Each tab asks every few seconds
# whether the queue (GET /agent/live) or its ticket (GET
# /agent/tickets/{n}/live) changed, sending back the ETag it holds; while
# nothing changed the answer is 304 with no body. wrk keeps 200
# connections open and polls as fast as they are answered: the rows show
# what one poll costs (statements, CPU) and how many the two workers
# answer a second — far above the 40 a second of 200 tabs polling every
# 5 s, and no worker is held between polls (unlike Server-Sent Events,
# which would need a worker, or a connection to one, per tab).
#
# Needs from bench.sh: top, var, base, secs, staff (a console cookie),
# number (a ticket's number) and bench_hot.sh's helpers.

# One row like hot_row's, with -c200 and the ETag of the answer at $3.
#   workspace_row LABEL MIN_RPS PATH
workspace_row() {
	local label=$1 min_rps=$2 path=$3 etag pids pg t0 t1 g0 g1 s1 out
	etag=$(curl -fsS -D - -o /dev/null -H "Cookie: $staff" "$base$path" |
		sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p')
	[ -n "$etag" ] || { echo "bench: $path gave no ETag" >&2; return 0; }
	# The batch's loop keeps changing tickets while the bench runs, so the
	# stamp may move: the answers are then 200 with the new stamp (a few
	# dozen bytes), which costs the same statements.
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $staff" -H "If-None-Match: $etag" \
		"$base$path")" = 304 ] || echo "bench: $path: the stamp moved meanwhile (200)" >&2
	wrk -t2 -c200 -d2s -H "Cookie: $staff" -H "If-None-Match: $etag" "$base$path" \
		>/dev/null 2>&1 || true
	pids=$(hot_pool_pids csdesk_console)
	pg=$(hot_pg_pids csdesk_console)
	hot_psql "SELECT pg_stat_statements_reset()" >/dev/null
	t0=$(hot_ticks $pids)
	g0=$(hot_ticks $pg)
	# wrk counts 304 as non-2xx: its errors column is read as "not 304" below.
	out=$(wrk -t2 -c200 -d"${secs}s" --latency -H "Cookie: $staff" \
		-H "If-None-Match: $etag" "$base$path" 2>&1)
	t1=$(hot_ticks $pids)
	g1=$(hot_ticks $pg)
	s1=$(hot_statements csdesk_console)
	echo "$out" | hot_wrk_parse | awk -v label="$label" -v st="$s1" -v prog=$((t1 - t0)) \
		-v pgt=$((g1 - g0)) -v hz="$(getconf CLK_TCK)" -v min="$min_rps" '{
		n = $4 > 0 ? $4 : 1
		printf "%s\t%.0f\t%.2f\t%.2f\t%s\t%.1f\t-\t%.2f\t%.2f\t>= %s/s (200 tabs)\t%s\n",
			label, $1, $2, $3, "-", st / n, prog * 1000 / hz / n, pgt * 1000 / hz / n,
			min, ($1 >= min ? "met" : "MISSED")
	}' >>"$var/hot.rows"
}

workspace_bench() {
	# 200 tabs every 5 s are 40 polls a second; the target keeps ten times that.
	workspace_row "live queue poll, ETag (200 tabs)" 400 /agent/live
	workspace_row "live ticket poll, ETag (200 tabs)" 400 "/agent/tickets/$number/live"
}
