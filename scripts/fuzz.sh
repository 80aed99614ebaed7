#!/usr/bin/env bash
# fuzz.sh — `make fuzz` and `make fuzz-long`: builds each
# tests/fuzz/fuzz_<name>.c with clang's libFuzzer, AddressSanitizer and
# UBSan, then runs it from the committed corpus tests/fuzz/corpus/<name>/.
#
#   fuzz.sh NAME...          FUZZ_SECONDS each (default 20). The committed
#                            corpus is only read: what the run finds goes to
#                            a scratch directory dropped afterwards.
#   fuzz.sh --long NAME...   FUZZ_LONG_SECONDS each (default 3600), then
#                            merges (-merge=1) what it found into the
#                            committed corpus: only inputs that reach new
#                            code, so the corpus stays small. Commit it.
#
# A crash leaves its input in build-fuzz/<name>-crash-*; rerun it with
# build-fuzz/fuzz_<name> FILE.
set -eu
. "$(dirname "$0")/lib.sh"
long=0
if [ "${1:-}" = --long ]; then
	long=1
	shift
fi
if [ $long = 1 ]; then secs=${FUZZ_LONG_SECONDS:-3600}; else secs=${FUZZ_SECONDS:-20}; fi
out=$top/build-fuzz
mkdir -p "$out"
# The parsers and what they stand on: no database, no FastCGI.
lib="src/core/form.c src/core/multipart.c src/core/cookie.c src/core/arena.c src/core/mem.c
     src/core/buf.c src/core/utf8.c src/domain/routing_words.c src/domain/sla_hours.c
     $(ls src/tmpl/*.c | tr '\n' ' ') src/domain/mentions.c
     src/domain/kb_query.c src/core/image.c"
# What a harness needs besides. fields.c also calls into the request, the
# database and the pipeline off the JSON path: tests/fuzz/stubs_web.c
# stands in for those.
extra() {
	case $1 in
	api_body) echo "tests/fuzz/stubs_web.c src/web/api_body.c src/web/fields.c
		src/domain/ticket_rules.c src/core/config.c -DCSDESK_DATADIR=\"$top\"
		$(pkg-config --cflags libpq jansson) -ljansson" ;;
	mail_in) echo "src/domain/mail_parse.c src/domain/mail_text.c
		$(pkg-config --cflags --libs gmime-3.0)" ;;
	esac
}
scratch=$(mktemp -d "$out/new.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$top"
status=0
for name in "$@"; do
	echo "== fuzz $name (${secs}s)"
	corpus=tests/fuzz/corpus/$name
	# shellcheck disable=SC2046
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-std=c11 -D_GNU_SOURCE -Isrc "tests/fuzz/fuzz_$name.c" $lib $(extra "$name") \
		-o "$out/fuzz_$name"
	mkdir -p "$scratch/$name" "$corpus"
	# A harness whose parser is not instrumented (jansson) needs its tokens.
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
	if ! "$out/fuzz_$name" -max_total_time="$secs" -max_len=8192 -print_final_stats=0 \
		-artifact_prefix="$out/$name-" $dict "$scratch/$name" "$corpus" \
		2>"$out/fuzz_$name.log"; then
		tail -40 "$out/fuzz_$name.log" >&2
		status=1
		continue
	fi
	grep -E '^#[0-9]+.*DONE' "$out/fuzz_$name.log" | tail -1 || tail -1 "$out/fuzz_$name.log"
	if [ $long = 1 ]; then
		"$out/fuzz_$name" -merge=1 -max_len=8192 "$corpus" "$scratch/$name" \
			2>"$out/merge_$name.log" || { tail -20 "$out/merge_$name.log" >&2; status=1; }
		echo "   $corpus: $(ls "$corpus" | wc -l) inputs, $(du -sk --apparent-size "$corpus" | cut -f1) KB"
	fi
done
exit $status
