#!/usr/bin/env bash
# soak.sh — `make soak`: starts the whole stack on free ports, creates
# tickets through the API (through nginx) from several clients while it
# breaks things, then checks that every acknowledged ticket was stored.
#
#   SOAK_SECONDS=120   how long the clients run
#   SOAK_CLIENTS=8     concurrent clients (bash + curl, one request at a time)
#   SOAK_WORKERS=4     workers per pool
#   SOAK_KILL_EVERY=5  seconds between SIGKILLs of a random console worker
#
# Each request is POST /api/v1/tickets with a subject and an Idempotency-Key
# of its own; its outcome is logged (acknowledged: 201 with the number;
# error: anything else, 000 when curl got no answer). A client waits 0.2 s
# after an error, as a client honouring Retry-After would, only shorter, so
# a recovery is seen within that. Clients do not retry: a ticket stored but
# not acknowledged is counted, and is what a retry with the same key would
# have been answered with instead of a second ticket.
#
# Faults, at fixed fractions of the run:
#   every SOAK_KILL_EVERY s  SIGKILL one console worker (the master replaces it)
#   at 20 %                  SIGTERM the console pool, start it again once gone
#   at 40 %                  restart PostgreSQL (pg_ctl restart -m fast)
#   at 60 %                  stop PostgreSQL, wait 10 s, start it again
# Recovery is the time from the pool's or the database's return to the first
# 201 of a request sent after it. The exit status is 1 when an acknowledged
# ticket is missing or stored under another number.
set -eu
. "$(dirname "$0")/lib.sh"
secs=${SOAK_SECONDS:-120}
clients=${SOAK_CLIENTS:-8}
workers=${SOAK_WORKERS:-4}
kill_every=${SOAK_KILL_EVERY:-5}
build=${CSDESK_BUILD:-$top/build}
var=$(mktemp -d /tmp/csdesk-soak.XXXXXX)
chmod 755 "$var"
trap 'jobs -p | xargs -r kill 2>/dev/null; "$top/scripts/stack.sh" stop "$var"; rm -rf "$var"' EXIT
port=$(free_port)
"$top/scripts/stack.sh" start "$var" "$port" "$workers" >/dev/null
base="http://127.0.0.1:$port"
pgport=$(cat "$var/pg.port")
db="host=127.0.0.1 port=$pgport dbname=csdesk"
psql() { "$(pg_bin)/psql" -Atq -v ON_ERROR_STOP=1 "$db user=csdesk" "$@"; }
mkdir "$var/soak"
log="$var/soak"

# Microseconds since the epoch, without a fork.
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# An API key for the demo admin, made the way api_keys.c makes one
# ("csd_" prefix "_" secret; the table keeps the BLAKE2b-256 of the key).
read -r key hash prefix < <(python3 -c '
import base64, hashlib, secrets
p = secrets.token_hex(4)
k = "csd_%s_%s" % (p, base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="))
print(k, hashlib.blake2b(k.encode(), digest_size=32).hexdigest(), p)')
psql -c "INSERT INTO api_keys (name, key_hash, prefix, created_by, scopes, expires_at)
	SELECT 'soak', decode('$hash', 'hex'), '$prefix', id,
		ARRAY['tickets.read', 'tickets.write'], now() + interval '1 day'
	FROM staff WHERE email = 'admin@demo.csdesk.test'"

# One client: requests until the end of the run, one line each in
# $log/c.N: sent-us answered-us status subject number.
client() {
	local c=$1 i=0 t0 st num subject
	while [ "$(now_us)" -lt "$end_us" ]; do
		i=$((i + 1))
		subject="soak $run c$c r$i"
		t0=$(now_us)
		st=$(curl -s -o "$log/body.$c" -w '%{http_code}' --max-time 30 \
			-H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
			-H "Idempotency-Key: soak-$run-$c-$i" \
			--data "{\"customer_email\":\"pat@demo.csdesk.test\",\"subject\":\"$subject\",\"description\":\"Soak test.\",\"channel\":\"phone\"}" \
			"$base/api/v1/tickets" || true)
		num=-
		[ "$st" = 201 ] && num=$(sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' "$log/body.$c")
		echo "$t0 $(now_us) ${st:-000} ${num:--} $subject" >>"$log/c.$c"
		[ "$st" = 201 ] || sleep 0.2
	done
}

# Resident memory of the console's workers, in KiB, space-separated.
worker_rss() {
	local master kids k
	master=$(cat "$var/run/console.pid")
	kids=$(cat "/proc/$master/task/$master/children" 2>/dev/null || true)
	for k in $kids; do awk '/^VmRSS/ {printf "%s ", $2}' "/proc/$k/status" 2>/dev/null || true; done
}

# Every kill_every seconds, SIGKILL one console worker, picked at random.
killer() {
	local master kids n
	while sleep "$kill_every"; do
		master=$(cat "$var/run/console.pid" 2>/dev/null) || continue
		kids=($(cat "/proc/$master/task/$master/children" 2>/dev/null || true))
		n=${#kids[@]}
		[ "$n" -gt 0 ] || continue
		kill -KILL "${kids[RANDOM % n]}" 2>/dev/null && echo "$(now_us)" >>"$log/kills"
	done
}

# SIGTERM the console pool (it drains) and start it again as stack.sh does.
restart_console() {
	local pid i
	pid=$(cat "$var/run/console.pid")
	kill -TERM "$pid"
	for i in $(seq 1 350); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "$(now_us)" >"$log/drained"
	CSDESK_DATADIR=$top CSDESK_BASE_URL=$base CSDESK_MAIL_DIR=$var/mail \
		CSDESK_DB="$db user=csdesk_console" setsid "$build/console.fcgi" \
		--listen "$var/run/console.sock" --workers "$workers" --socket-mode 0660 \
		>>"$var/log/console.log" 2>&1 </dev/null &
	echo $! >"$var/run/console.pid"
	wait_for "$var/run/console.sock"
	chgrp "$(web_group)" "$var/run/console.sock"
}

# Sleeps until $1 seconds after the start.
at() {
	local left=$(( start_us + $1 * 1000000 - $(now_us) ))
	[ "$left" -le 0 ] || sleep "$(awk -v u="$left" 'BEGIN { printf "%.3f", u / 1e6 }')"
}

# Faults: lines "name down-us up-us" in $log/faults.
faults() {
	local d
	at $((secs * 20 / 100)); d=$(now_us)
	restart_console
	echo "console-pool-restart $d $(now_us)" >>"$log/faults"
	echo $(( $(cat "$log/drained") - d )) >"$log/drained"
	at $((secs * 40 / 100)); d=$(now_us)
	"$top/scripts/pg.sh" restart "$var/pg"
	echo "postgres-restart $d $(now_us)" >>"$log/faults"
	at $((secs * 60 / 100)); d=$(now_us)
	"$top/scripts/pg.sh" stop "$var/pg"
	sleep 10
	"$top/scripts/pg.sh" start "$var/pg"
	echo "postgres-stop-10s $d $(now_us)" >>"$log/faults"
}

run=$(date +%s)
# Warm-up: one ticket, which also proves the key works.
end_us=0
st=$(curl -s -o "$log/warm" -w '%{http_code}' -H "Authorization: Bearer $key" \
	-H 'Content-Type: application/json' --data \
	'{"customer_email":"pat@demo.csdesk.test","subject":"soak warm-up","description":"x","channel":"phone"}' \
	"$base/api/v1/tickets")
[ "$st" = 201 ] || { echo "soak: the API answered $st: $(cat "$log/warm")" >&2; exit 1; }
rss_before=$(worker_rss)

start_us=$(now_us)
end_us=$((start_us + secs * 1000000))
pids=()
for c in $(seq 1 "$clients"); do client "$c" & pids+=($!); done
killer & killer_pid=$!
faults & faults_pid=$!
wait "${pids[@]}" "$faults_pid"
kill "$killer_pid" 2>/dev/null || true
wait "$killer_pid" 2>/dev/null || true
sleep 1
rss_after=$(worker_rss)

# Every soak ticket stored: "subject number", and the requests: the logs.
psql -c "SELECT subject, number FROM tickets WHERE subject LIKE 'soak $run %'" |
	awk -F'|' '{ print "S", $2, $1 }' >"$log/stored"
cat "$log"/c.* | sort -n >"$log/requests"
touch "$log/kills"

printf '\ncsdesk soak: %s s, %s clients through nginx, %s workers per pool, %s cores\n\n' \
	"$secs" "$clients" "$workers" "$(nproc)"
awk -v start="$start_us" -v rss0="$rss_before" -v rss1="$rss_after" \
	-v kills="$(wc -l <"$log/kills")" -v drained="$(cat "$log/drained" 2>/dev/null || echo 0)" '
	FILENAME ~ /faults$/ { fname[++nf] = $1; down[nf] = $2; up[nf] = $3; next }
	$1 == "S" {
		subj = $3; for (i = 4; i <= NF; i++) subj = subj " " $i
		if (subj in stored) dup++
		stored[subj] = $2; nstored++; next
	}
	{
		subj = $5; for (i = 6; i <= NF; i++) subj = subj " " $i
		req++; t0[req] = $1; t1[req] = $2; code[req] = $3
		if ($3 == 201 && $4 != "-") { ack++; acked[subj] = $4 }
		else { err++; bycode[$3 == 201 ? "201 without a number" : $3]++ }
	}
	END {
		for (s in acked) {
			if (!(s in stored)) lost++
			else if (stored[s] != acked[s]) wrong++
		}
		for (s in stored) if (!(s in acked)) unacked++
		printf "%-44s %10d\n", "requests", req
		printf "%-44s %10d\n", "acknowledged (201 with a number)", ack
		printf "%-44s %10d\n", "errors", err
		for (c in bycode) printf "  %-42s %10d\n", "status " c, bycode[c]
		printf "%-44s %10d\n", "tickets stored", nstored
		printf "%-44s %10d\n", "acknowledged but not stored (must be 0)", lost
		printf "%-44s %10d\n", "stored under another number (must be 0)", wrong
		printf "%-44s %10d\n", "stored twice for one request (must be 0)", dup
		printf "%-44s %10d\n", "stored but not acknowledged", unacked
		printf "%-44s %10d\n", "console workers SIGKILLed", kills
		printf "\n%-24s %8s %10s %8s %14s\n", "fault", "at s", "down s", "errors", "recovery ms"
		for (f = 1; f <= nf; f++) {
			first = 0; e = 0
			for (r = 1; r <= req; r++) {
				if (code[r] == 201 && t0[r] >= up[f] && (first == 0 || t1[r] < first)) first = t1[r]
			}
			for (r = 1; r <= req; r++)
				if (code[r] != 201 && t1[r] >= down[f] && (first == 0 || t1[r] <= first)) { e++; inwin[r] = 1 }
			printf "%-24s %8.1f %10.1f %8d %14s\n", fname[f], (down[f] - start) / 1e6,
				(up[f] - down[f]) / 1e6, e, first ? sprintf("%.0f", (first - up[f]) / 1e3) : "never"
		}
		for (r = 1; r <= req; r++) if (code[r] != 201 && !(r in inwin)) other++
		printf "%-24s %8s %10s %8d %14s\n", "outside those (kills)", "-", "-", other, "-"
		n0 = split(rss0, a, " "); n1 = split(rss1, b, " ")
		for (i = 1; i <= n0; i++) { s0 += a[i]; if (a[i] > m0) m0 = a[i] }
		for (i = 1; i <= n1; i++) { s1 += b[i]; if (b[i] > m1) m1 = b[i] }
		printf "\nconsole worker RSS KiB before: %s (max %d)\n", rss0, m0
		printf "console worker RSS KiB after:  %s (max %d)\n", rss1, m1
		printf "console pool drain on SIGTERM: %.0f ms (SIGTERM to the master gone)\n", drained / 1e3
		exit (lost + wrong + dup > 0)
	}' "$log/faults" "$log/stored" "$log/requests"
