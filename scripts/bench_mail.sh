# bench_mail.sh — sourced by scripts/bench.sh: mail intake's rate. It
# writes BENCH_MAIL_MESSAGES messages (default 2000) from 200 senders —
# the first from each a new sender (a contact is made), then alternately a
# new request and a reply threaded by In-Reply-To to that sender's earlier
# message — and feeds each through `csdesk mail-in`, one process per
# message as an MTA pipe does, two at a time (the MTA's concurrency on two
# cores). Then `csdesk batch` runs the dispatcher, which queues the
# automatic replies. The same messages again (new Message-IDs) over LMTP,
# two sessions kept open, and through `csdesk mail-in --dir`, two
# processes taking half the spool each on one connection apiece (what a
# site at that rate runs: the MTA delivers to a spool or Maildir).
# Prints messages/s for each alone and with the dispatcher, against the
# target of 200 messages/s, and what a message costs in CPU (the
# processes', from their rusage, and their PostgreSQL backends', which the
# postmaster collects when they exit), the rate one core would reach: on a
# shared machine the wall clock says more about the neighbours than about
# mail-in.
#
# Needs from bench.sh: top, var, hot_db (a conninfo as the owner).

# The CPU, in clock ticks, of the postmaster's children that have exited.
bench_mail_reaped() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $14 + $15 }'
}

# Runs the batch (its dispatcher queues the automatic replies); prints the ns it took.
bench_mail_dispatch() {
	local t=$(date +%s%N)
	CSDESK_DB="$hot_db" CSDESK_DATADIR="$top" "$1" batch >/dev/null 2>&1 || true
	echo $(($(date +%s%N) - t))
}

bench_mail() {
	local n=${BENCH_MAIL_MESSAGES:-2000} dir="$var/mail-bench" i s t0 t1 stored queued
	local pm pg0 pg1 cpu lport lpid t3 t4 d1 d2 t5 t6 d3 pg2 pg3 cpu_dir
	local csdesk=${CSDESK_BUILD:-$top/build}/csdesk
	rm -rf "$dir"
	mkdir -p "$dir"
	for ((i = 1; i <= n; i++)); do
		s=$((i % 200))
		{
			printf 'From: Bench Sender %d <bench%d@mail.example.net>\r\n' "$s" "$s"
			printf 'To: support@example.com\r\nMessage-ID: <bench-%d@mail.example.net>\r\n' "$i"
			if [ "$i" -gt 200 ] && [ $((i % 2)) = 0 ]; then
				printf 'Subject: Re: Printer %d\r\nIn-Reply-To: <bench-%d@mail.example.net>\r\n' \
					"$s" $((i - 200))
			else
				printf 'Subject: Printer %d jams\r\n' "$i"
			fi
			printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n'
			printf 'The printer jams on page %d.\r\n\r\nOn Monday Support wrote:\r\n> Thank you.\r\n' "$i"
		} >"$dir/$i.eml"
	done
	pm=$(head -1 "$var/pg/data/postmaster.pid")
	pg0=$(bench_mail_reaped "$pm")
	t0=$(date +%s%N)
	# shellcheck disable=SC2016
	seq 1 "$n" | CSDESK_DB="$hot_db" /usr/bin/time -f '%U %S' -o "$dir/cpu" \
		xargs -P2 -I{} sh -c '"$0" mail-in < "$1/{}.eml" > /dev/null' "$csdesk" "$dir"
	t1=$(date +%s%N)
	pg1=$(bench_mail_reaped "$pm")
	cpu=$(awk -v pg=$((pg1 - pg0)) -v hz="$(getconf CLK_TCK)" '{ print $1 + $2 + pg / hz }' \
		"$dir/cpu")
	d1=$(bench_mail_dispatch "$csdesk")
	# The same messages again, as new ones, over LMTP: two sessions, each
	# keeping its process and its database connection, as an MTA does.
	sed -i 's/^Message-ID: <bench-/Message-ID: <lmtp-bench-/;
		s/^In-Reply-To: <bench-/In-Reply-To: <lmtp-bench-/' "$dir"/*.eml
	lport=$(free_port)
	CSDESK_DB="$hot_db" "$csdesk" lmtp --listen "127.0.0.1:$lport" 2>/dev/null &
	lpid=$!
	for ((i = 0; i < 100; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$lport") 2>/dev/null && break
		sleep 0.05
	done
	t3=$(date +%s%N)
	python3 "$top/bench/lmtp_send.py" "$lport" "$dir" 1 $((n / 2)) &
	python3 "$top/bench/lmtp_send.py" "$lport" "$dir" $((n / 2 + 1)) "$n" || true
	wait $! || true
	t4=$(date +%s%N)
	kill "$lpid" 2>/dev/null || true
	d2=$(bench_mail_dispatch "$csdesk")
	# Once more through mail-in --dir: two spools of half the messages each
	# (names padded, so a spool's name order is the sending order).
	sed -i 's/^Message-ID: <lmtp-bench-/Message-ID: <dir-bench-/;
		s/^In-Reply-To: <lmtp-bench-/In-Reply-To: <dir-bench-/' "$dir"/*.eml
	mkdir -p "$dir/spool1" "$dir/spool2"
	for ((i = 1; i <= n; i++)); do
		cp "$dir/$i.eml" "$dir/spool$((i > n / 2 ? 2 : 1))/$(printf '%06d' "$i").eml"
	done
	pg2=$(bench_mail_reaped "$pm")
	t5=$(date +%s%N)
	CSDESK_DB="$hot_db" /usr/bin/time -f '%U %S' -o "$dir/cpu-dir" sh -c \
		'"$0" mail-in --dir "$1/spool1" >/dev/null 2>&1 & "$0" mail-in --dir "$1/spool2" \
		>/dev/null 2>&1 & wait' "$csdesk" "$dir"
	t6=$(date +%s%N)
	pg3=$(bench_mail_reaped "$pm")
	cpu_dir=$(awk -v pg=$((pg3 - pg2)) -v hz="$(getconf CLK_TCK)" '{ print $1 + $2 + pg / hz }' \
		"$dir/cpu-dir")
	d3=$(bench_mail_dispatch "$csdesk")
	stored=$(hot_psql "SELECT count(*) FROM mail_messages WHERE from_addr LIKE 'bench%@mail.example.net'")
	queued=$(hot_psql "SELECT count(*) FROM notifications WHERE recipient LIKE 'bench%@mail.example.net'")
	awk -v n="$n" -v a=$((t1 - t0)) -v l=$((t4 - t3)) -v d1="$d1" -v d2="$d2" -v s="$stored" \
		-v q="$queued" -v cpu="$cpu" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
		-v dd=$((t6 - t5)) -v d3="$d3" -v cpud="$cpu_dir" '
	function row(name, ns) {
		printf "%-46s %8.0f msg/s  %s\n", name, n / (ns / 1e9),
			(n / (ns / 1e9) >= 200 ? "met (200)" : "MISSED (200)")
	}
	BEGIN {
		printf "\nmail intake: %d messages three times, %d stored, %d mails queued\n", n, s, q
		row("csdesk mail-in (a process each, -P2)", a)
		row("  with the dispatcher (auto-replies queued)", a + d1)
		row("csdesk lmtp (2 sessions kept open)", l)
		row("  with the dispatcher (auto-replies queued)", l + d2)
		row("csdesk mail-in --dir (2 spools, 2 processes)", dd)
		row("  with the dispatcher (auto-replies queued)", dd + d3)
		printf "%-46s %8.2f ms     (%.0f msg/s a core; load average %s)\n",
			"CPU per message, mail-in and its backend", 1000 * cpu / n, n / cpu, load
		printf "%-46s %8.2f ms     (%.0f msg/s a core)\n",
			"CPU per message, mail-in --dir and its backend", 1000 * cpud / n, n / cpud
	}'
	rm -rf "$dir"
}
