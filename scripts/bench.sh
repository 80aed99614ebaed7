#!/usr/bin/env bash
# bench.sh — `make bench`: starts the whole stack on free ports, loads it
# with wrk (-t2 -c16, through nginx) and prints a table. The static row is
# nginx serving a saved copy of the portal home: the ceiling any dynamic
# page could reach on this machine.
#
#   BENCH_SECONDS=10 (per scenario)   BENCH_WORKERS=2 (per pool)
set -eu
. "$(dirname "$0")/lib.sh"
secs=${BENCH_SECONDS:-10}
var=$(mktemp -d /tmp/csdesk-bench.XXXXXX)
chmod 755 "$var"
trap '"$top/scripts/stack.sh" stop "$var"; rm -rf "$var"' EXIT
port=$(free_port)
"$top/scripts/stack.sh" start "$var" "$port" "${BENCH_WORKERS:-2}" >/dev/null
base="http://127.0.0.1:$port"
curl -fsS "$base/" >"$var/run/static-home.html"

# Resident memory of a pool's workers, in KiB, space-separated.
worker_rss() {
	local master=$1 kids k
	kids=$(cat "/proc/$master/task/$master/children" 2>/dev/null || true)
	for k in $kids; do awk '/^VmRSS/ {printf "%s ", $2}' "/proc/$k/status"; done
}

# Runs wrk and prints "requests/s p99-ms requests".
load() {
	wrk -t2 -c16 -d"${secs}s" --latency "$1" 2>&1 | awk '
		/Requests\/sec/ { rps = $2 }
		/requests in/ { total = $1 }
		$1 == "99%" {
			v = $2
			if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
			else if (v ~ /ms$/) { sub(/ms$/, "", v) }
			else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
			p99 = v
		}
		END { printf "%s %s %s\n", rps, p99, total }'
}

portal_pid=$(cat "$var/run/portal.pid")
rss_before=$(worker_rss "$portal_pid")
load "$base/" >/dev/null	# warm-up: connections, prepared statements, caches

static=$(load "$base/bench/static-home.html")
home=$(load "$base/")
health=$(load "$base/healthz")
login=$(load "$base/agent/login")
rss_after=$(worker_rss "$portal_pid")

srps=$(echo "$static" | cut -d' ' -f1)
printf '\ncsdesk bench: wrk -t2 -c16 -d%ss through nginx, %s workers per pool, %s cores\n\n' \
	"$secs" "${BENCH_WORKERS:-2}" "$(nproc)"
printf '%-28s %12s %10s %12s %10s\n' scenario "requests/s" "p99 ms" requests "vs static"
printf '%-28s %12s %10s %12s %10s\n' ---------------------------- ------------ ---------- ------------ ----------
row() {
	set -- "$1" $2
	awk -v n="$1" -v r="$2" -v p="$3" -v t="$4" -v s="$srps" \
		'BEGIN { printf "%-28s %12.0f %10.2f %12d %9.0f%%\n", n, r, p, t, 100 * r / s }'
}
row "static copy (nginx)" "$static"
row "portal home GET /" "$home"
row "healthz (SELECT 1)" "$health"
row "console login page" "$login"
printf '\nportal worker RSS (KiB) before: %s\n' "$rss_before"
printf 'portal worker RSS (KiB) after:  %s\n' "$rss_after"
