#!/usr/bin/env bash
# fuzz.sh — `make fuzz`: builds each tests/fuzz/fuzz_<name>.c with clang's
# libFuzzer, AddressSanitizer and UBSan, then runs it for FUZZ_SECONDS
# (default 20) from its seed corpus in tests/fuzz/corpus/<name>/. New
# inputs found go to build-fuzz/corpus/<name>/, not into the tree.
set -eu
. "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-20}
out=$top/build-fuzz
mkdir -p "$out"
# The parsers and what they stand on: no database, no FastCGI.
lib="src/core/form.c src/core/multipart.c src/core/cookie.c src/core/arena.c src/core/mem.c
     src/core/buf.c src/core/utf8.c src/domain/routing_words.c src/domain/sla_hours.c
     $(ls src/tmpl/*.c | tr '\n' ' ') src/domain/mentions.c
     src/domain/kb_query.c"
cd "$top"
status=0
for name in "$@"; do
	echo "== fuzz $name (${secs}s)"
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-std=c11 -D_GNU_SOURCE -Isrc "tests/fuzz/fuzz_$name.c" $lib -o "$out/fuzz_$name"
	mkdir -p "$out/corpus/$name"
	if ! "$out/fuzz_$name" -max_total_time="$secs" -max_len=8192 -print_final_stats=0 \
		"$out/corpus/$name" "tests/fuzz/corpus/$name" 2>"$out/fuzz_$name.log"; then
		tail -40 "$out/fuzz_$name.log" >&2
		status=1
	else
		grep -E '^#[0-9]+.*DONE' "$out/fuzz_$name.log" | tail -1 || tail -1 "$out/fuzz_$name.log"
	fi
done
exit $status
