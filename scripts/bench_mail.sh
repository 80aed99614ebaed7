# bench_mail.sh — sourced by scripts/bench.sh: mail intake's rate over
# the mix a desk receives (bench/mail_mix.py: new requests from new and
# known senders, replies threaded by In-Reply-To, by the subject's tag and
# by the reply address, a PDF attached, text with HTML, HTML only, an
# out-of-office and a mailing list's message), BENCH_MAIL_MESSAGES of them
# (default 2000) through each way in:
#
#   csdesk mail-in --dir, one spool and one process, then two of each
#   csdesk lmtp, two sessions kept open (each takes every other message)
#   csdesk mail-in, a process per message (two at a time, as an MTA pipe;
#   a tenth of the messages: it is the slow way and shown as such)
#
# Each row: messages a second through intake alone ("msg/s"), with the
# dispatcher that queues the automatic replies ("+disp": `csdesk batch
# --dispatch`, the steps the batch loop runs when events arrive but the
# delivery; the 200 a second target is for this), and with the delivery
# of what it queued ("+mail": `csdesk batch --events`, here .eml files,
# whose creation is mostly the kernel's CPU); CPU per message of intake's
# program ("in", its rusage) and its PostgreSQL backends ("in.pg", their
# /proc counters, sampled; for the pipe, whose backends live a message,
# the postmaster's reaped children), of the dispatcher ("disp", "d.pg";
# "total" is these four) and of the delivery ("mail", "m.pg"); and the count
# checked after the run: the tickets and comments the messages made, found
# by their rows, against what the mix should make, and the automatic
# replies queued. On a shared machine the wall clock says more about the
# neighbours than about mail-in: the CPU columns are what to compare.
# The batch loop of the stack is stopped first, so it neither takes the
# events nor shares the CPU count.
#
# Needs from bench.sh: top, var, hot_db (a conninfo as the owner).

# CPU seconds of the postmaster's children that have exited.
bench_mail_reaped() {
	sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }'
}

# Samples, every 0.1 s until killed, the CPU ticks of the backends of the
# owner's TCP clients ("pid ticks" lines): the ones mail-in, lmtp and the
# dispatcher open (the pools sign in as other roles). Autovacuum and the
# other exits the postmaster reaps are not in it.
bench_mail_sampler() {
	local c t
	while :; do
		for c in $(cat "/proc/$pm/task/$pm/children" 2>/dev/null); do
			t=$(tr '\0' ' ' 2>/dev/null <"/proc/$c/cmdline") || continue
			case $t in
			"postgres: csdesk csdesk 127.0.0.1("*)
				sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null |
					awk -v p="$c" '{ print p, $12 + $13 }' ;;
			esac
		done
		sleep 0.1
	done
}

# Stops sampler $1 (writing $2); prints the CPU seconds of the backends it saw.
bench_mail_sampled() {
	kill "$1"
	wait "$1" 2>/dev/null || true
	awk -v hz="$(getconf CLK_TCK)" '$2 > m[$1] { m[$1] = $2 }
		END { for (p in m) s += m[p]; printf "%.2f\n", s / hz }' "$2"
}

# Waits (up to 5 s) until no client of ours is connected: their backends have exited.
bench_mail_settle() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(hot_psql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'csdesk-cli'
			AND pid <> pg_backend_pid()")" = 0 ] && return 0
		sleep 0.1
	done
}

# bench_mail_run NAME N RUN SPOOLS CMD…: CMD takes the messages of $mdir
# (in SPOOLS spools when not 0), timed; then the dispatcher. Appends a row
# to $var/mail.rows.
bench_mail_run() {
	local name=$1 n=$2 run=$3 spools=$4 expect t0 t1 t2 t3 pg0 pg1 pg2 pg3 check sampler sampled
	shift 4
	rm -rf "$mdir" "$mdir.cpu-prog" && mkdir -p "$mdir"
	expect=$(python3 "$top/bench/mail_mix.py" "$mdir" "$n" "$run" "$var/mail-tickets")
	case $spools in 0 | pipe) ;; *) bench_mail_spools "$spools" ;; esac
	bench_mail_settle
	pg0=$(bench_mail_reaped "$pm")
	bench_mail_sampler >"$mdir.pg" &
	sampler=$!
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S' -o "$mdir.cpu" "$@" >/dev/null 2>"$mdir.err" ||
		{ echo "$name: failed: $(tail -3 "$mdir.err")" >&2; }
	t1=$(date +%s%N)
	[ -s "$mdir.cpu-prog" ] && tail -1 "$mdir.cpu-prog" >"$mdir.cpu"
	bench_mail_settle
	pg1=$(bench_mail_reaped "$pm")
	sampled=$(bench_mail_sampled "$sampler" "$mdir.pg")
	bench_mail_sampler >"$mdir.pg" &
	sampler=$!
	/usr/bin/time -f '%U %S' -o "$mdir.cpu-batch" \
		env CSDESK_DB="$hot_db" CSDESK_DATADIR="$top" \
		"$csdesk" batch --dispatch >/dev/null 2>&1 || true
	t2=$(date +%s%N)
	bench_mail_settle
	pg2=$(bench_mail_reaped "$pm")
	sampled="$sampled $(bench_mail_sampled "$sampler" "$mdir.pg")"
	# Then the delivery of what it queued, apart: .eml files here, SMTP in production.
	bench_mail_sampler >"$mdir.pg" &
	sampler=$!
	/usr/bin/time -f '%U %S' -o "$mdir.cpu-mail" \
		env CSDESK_DB="$hot_db" CSDESK_DATADIR="$top" CSDESK_MAIL_DIR="$var/mail-bench/out" \
		"$csdesk" batch --events >/dev/null 2>&1 || true
	t3=$(date +%s%N)
	bench_mail_settle
	pg3=$(bench_mail_reaped "$pm")
	sampled="$sampled $(bench_mail_sampled "$sampler" "$mdir.pg")"
	# A backend a message (the pipe) lives too short to be sampled: the reaped count.
	[ "$spools" != pipe ] ||
		sampled="$(echo "$pg0 $pg1 $pg2 $pg3" | awk '{ print $2 - $1, $3 - $2, $4 - $3 }')"
	# What the messages made, found by their rows.
	check=$(hot_psql "SELECT count(*),
		count(*) FILTER (WHERE m.status = 'ticket' AND EXISTS (SELECT 1 FROM tickets t
			WHERE t.id = m.ticket_id AND t.channel = 'email')),
		count(*) FILTER (WHERE m.status = 'reply' AND EXISTS (SELECT 1 FROM ticket_comments c
			WHERE c.id = m.comment_id AND c.ticket_id = m.ticket_id AND c.kind = 'public')),
		(SELECT count(*) FROM notifications n JOIN mail_messages o ON o.ticket_id = n.ticket_id
			AND o.status = 'ticket' AND n.recipient = o.from_addr
			WHERE n.kind = 'ticket_created' AND o.message_id LIKE '$run-%')
		FROM mail_messages m WHERE m.message_id LIKE '$run-%'" | tr '|' ' ')
	printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$name" "$n" $((t1 - t0)) $((t2 - t1)) \
		"$(cat "$mdir.cpu")" "$(cat "$mdir.cpu-batch")" "$sampled" "$expect" "$check" \
		"$(cut -d' ' -f1 /proc/loadavg)" $((t3 - t2)) "$(cat "$mdir.cpu-mail")" >>"$var/mail.rows"
}

# Splits $mdir's messages into P spools, message i into spool i mod P (names padded).
bench_mail_spools() {
	local p=$1 f i
	for ((i = 0; i < p; i++)); do
		mkdir -p "$mdir/spool$i"
	done
	for f in "$mdir"/*.eml; do
		i=${f##*/}
		i=${i%.eml}
		mv "$f" "$mdir/spool$((i % p))/$(printf '%06d' "$i").eml"
	done
}

bench_mail_dir() {
	local p=$1 i
	for ((i = 0; i < p; i++)); do
		CSDESK_DB="$hot_db" "$csdesk" mail-in --dir "$mdir/spool$i" &
	done
	wait
}

bench_mail_lmtp() {
	local port lpid srv i
	port=$(free_port)
	# Its own CPU (its sessions' included), not the senders'.
	CSDESK_DB="$hot_db" /usr/bin/time -f '%U %S' -o "$mdir.cpu-prog" \
		"$csdesk" lmtp --listen "127.0.0.1:$port" &
	lpid=$!
	for ((i = 0; i < 100; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.05
	done
	python3 "$top/bench/lmtp_send.py" "$port" "$mdir" 1 2 &
	python3 "$top/bench/lmtp_send.py" "$port" "$mdir" 2 2 || true
	wait $! || true
	# Its sessions end (and are reaped, their CPU counted) before it stops.
	# The server is time's child; a children file ends each pid with a space,
	# so it is read as words (quoted, the space made a path that never
	# existed: the loop ran out, 5 s and more on the row's clock).
	read -r srv <"/proc/$lpid/task/$lpid/children"
	for ((i = 0; i < 100; i++)); do
		[ -z "$(cat "/proc/$srv/task/$srv/children")" ] && break
		sleep 0.05
	done
	kill "$srv"
	wait "$lpid" || true
}

bench_mail_pipe() {
	# shellcheck disable=SC2016
	(cd "$mdir" && printf '%s\n' *.eml) | CSDESK_DB="$hot_db" xargs -P2 -I{} \
		sh -c '"$0" mail-in < "$1/{}"' "$csdesk" "$mdir"
}

bench_mail() {
	local n=${BENCH_MAIL_MESSAGES:-2000} mdir="$var/mail-bench/m" run
	local csdesk=${CSDESK_BUILD:-$top/build}/csdesk pm
	export -f bench_mail_dir bench_mail_lmtp bench_mail_pipe free_port
	export top mdir csdesk hot_db
	rm -rf "$var/mail-bench" && mkdir -p "$var/mail-bench"
	: >"$var/mail.rows"
	# The stack's batch loop would take the events and share the CPU count.
	if [ -f "$var/run/batch.pid" ]; then
		kill "$(cat "$var/run/batch.pid")" 2>/dev/null || true
		rm -f "$var/run/batch.pid"
		sleep 1
	fi
	pm=$(head -1 "$var/pg/data/postmaster.pid")
	# Open tickets their customers answer (the reply address made for each).
	# One an account: a customer's replies a minute are limited.
	hot_psql "SELECT x.number || '|' || x.email || '|' || ticket_mail_token(x.id) FROM (
		SELECT DISTINCT ON (t.customer_id) t.id, t.number, u.email
		FROM tickets t JOIN portal_users u ON u.id = t.requester_id AND u.active
		AND u.customer_id = t.customer_id
		WHERE t.status IN ('new', 'assigned', 'in_progress', 'pending_customer')
		AND t.id > (SELECT max(id) - 200000 FROM tickets)
		ORDER BY t.customer_id, t.id DESC LIMIT 1000) x" >"$var/mail-tickets"
	run=b$(date +%s)
	bench_mail_run "mail-in --dir (1 spool, 1 process)" "$n" "${run}d1" 1 \
		bash -c 'bench_mail_dir 1'
	bench_mail_run "mail-in --dir (2 spools, 2 processes)" "$n" "${run}d2" 2 \
		bash -c 'bench_mail_dir 2'
	bench_mail_run "csdesk lmtp (2 sessions kept open)" "$n" "${run}l2" 0 \
		bash -c 'bench_mail_lmtp'
	bench_mail_run "mail-in, a process per message (-P2)" $((n / 10)) "${run}p" pipe \
		bash -c 'bench_mail_pipe'
	bench_mail_report
	[ -n "${BENCH_MAIL_KEEP:-}" ] || rm -rf "$var/mail-bench"
}

bench_mail_report() {
	awk -F'|' '
	function rate(n, ns) { return n / (ns / 1e9) }
	BEGIN {
		printf "\nmail intake, the mix of bench/mail_mix.py (target 200 msg/s with the" \
			" auto-replies queued; CPU ms a message):\n"
		printf "%-40s %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s  %s\n", "", "msg/s",
			"+disp", "+mail", "in", "in.pg", "disp", "d.pg", "total", "mail", "m.pg",
			"checked after the run"
	}
	{
		split($5, c, " "); split($6, b, " "); split($7, pg, " ")
		split($8, e, " "); split($9, k, " "); split($12, ml, " ")
		n = $2; prog = (c[1] + c[2]) * 1000 / n; pgm = pg[1] * 1000 / n
		bprog = (b[1] + b[2]) * 1000 / n; bpg = pg[2] * 1000 / n
		mprog = (ml[1] + ml[2]) * 1000 / n; mpg = pg[3] * 1000 / n
		with = rate(n, $3 + $4)
		printf "%-40s %6.0f %6.0f %6.0f %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f  %s\n", $1,
			rate(n, $3), with, rate(n, $3 + $4 + $11), prog, pgm, bprog, bpg,
			prog + pgm + bprog + bpg, mprog, mpg,
			sprintf("stored %d/%d, tickets %d/%d, replies %d/%d, auto-replies %d;" \
			" %s; load %s", k[1], n, k[2], e[2], k[3], e[4], k[4],
			with >= 200 ? "met" : "MISSED", $10)
	}' "$var/mail.rows"
}
