#!/usr/bin/env bash
# check-results-test.sh — proves scripts/check-results.py fails on a call
# that tests an enum cs_result as 0/-1, and passes the right shapes.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/domain"
cat >"$tmp/src/domain/thing.h" <<'H'
enum cs_result thing_save(int x);
enum cs_result
thing_load(int x);
int thing_count(void);
H
good='if (thing_save(1) != CS_OK || thing_load(2)) return; if (thing_count() < 0) return;'
printf 'void f(void) { %s }\n' "$good" >"$tmp/src/domain/good.c"
"$top/scripts/check-results.py" "$tmp" >/dev/null
failed=0
for bad in 'thing_save(1) < 0' 'thing_load(f(2)) == -1' 'thing_save(1) >= 0' 'thing_load(3) != -1'; do
	printf 'void g(void) { if (%s) return; }\n' "$bad" >"$tmp/src/domain/bad.c"
	if "$top/scripts/check-results.py" "$tmp" >/dev/null 2>&1; then
		echo "check-results-test: not caught: $bad" >&2
		failed=1
	fi
done
rm -f "$tmp/src/domain/bad.c"
[ "$failed" = 0 ] && echo "check-results-test: 4 misuses caught, the right shapes pass"
exit "$failed"
