#!/usr/bin/env bash
# check-layers-test.sh — proves scripts/check-layers.sh catches what it
# should: on a temporary copy of src/ and cgi-bin/, each case below adds one
# line to one file and expects the check to fail naming that file (or, for
# the harmless cases, to pass). Run by `make test`.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/scripts/check-layers.sh
tmp=$(mktemp -d /tmp/csdesk-layers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0
cases=0

mkdir "$tmp/tree"
cp -r "$top/src" "$top/cgi-bin" "$tmp/tree/"

# try EXPECT FILE LINE: appends LINE to FILE in the copy, runs the check,
# then puts FILE back; EXPECT is "fail" or "pass".
try() {
	local expect=$1 file=$2 text=$3 out rc=0
	cases=$((cases + 1))
	[ -f "$tmp/tree/$file" ] && cp "$tmp/tree/$file" "$tmp/saved"
	printf '%s\n' "$text" >>"$tmp/tree/$file"
	out=$("$check" "$tmp/tree" 2>&1) || rc=$?
	if [ -f "$tmp/saved" ]; then mv "$tmp/saved" "$tmp/tree/$file"; else rm "$tmp/tree/$file"; fi
	if [ "$expect" = fail ] && { [ "$rc" = 0 ] || ! grep -q "^$file:" <<<"$out"; }; then
		echo "check-layers-test: $file + '$text': expected a failure naming $file, got (rc $rc):" >&2
		echo "$out" >&2
		failures=$((failures + 1))
	elif [ "$expect" = pass ] && [ "$rc" != 0 ]; then
		echo "check-layers-test: $file + '$text': expected a pass, got (rc $rc):" >&2
		echo "$out" >&2
		failures=$((failures + 1))
	fi
}

try pass src/domain/tickets.c ''
try fail src/domain/tickets.c '#include "web/app.h"'
try fail src/domain/tickets.h '#include "console/handlers.h"'
try fail src/domain/kb.c '#include "cli/cli.h"'
try fail src/db/db.c '#include "domain/tickets.h"'
try fail src/db/db.c '#include "auth/session.h"'
try fail src/db/migrate.c '#include "tmpl/tmpl.h"'
try fail src/core/buf.c '#include "db/db.h"'
try fail src/core/utf8.h '#include "tmpl/tval.h"'
try fail src/core/log.c '#include <libpq-fe.h>'
try fail src/tmpl/tval.c '#include "db/db.h"'
try fail src/tmpl/tmpl_lex.c '#include "web/app.h"'
try fail src/auth/session.c '#include "domain/accounts.h"'
try fail src/web/app.c '#include "portal/handlers.h"'
try fail src/cli/main.c '#include "web/app.h"'
try fail src/domain/new_module.c '#include "nowhere/thing.h"'
try fail cgi-bin/portal/home.c '#include <libpq-fe.h>'
try fail cgi-bin/portal/home.c 'static void f(PGresult *r) { PQclear(r); }'
try fail cgi-bin/console/home.c 'static struct db_stmt st = DB_STMT("x", "SELECT 1", 0);'
try fail cgi-bin/console/home.c 'static const char *q = "SELECT id FROM tickets";'
try fail cgi-bin/console/home.c 'static const char *q = "UPDATE tickets SET status = $1";'
try fail cgi-bin/console.c 'static const char *q = "DELETE FROM sessions";'
try fail cgi-bin/portal/login.c 'static int f(struct app *a) { return db_begin(&a->db); }'
try fail cgi-bin/console/account.c 'static int f(struct app *a) { return db_commit(&a->db); }'
try fail cgi-bin/console/api.c 'static void f(struct app *a) { db_rollback(&a->db); }'
try fail cgi-bin/portal.c 'static int f(struct db *d) { return db_end(d, CS_OK); }'
# Allowed: the same words in comments, and includes the table permits.
try pass src/domain/tickets.c '/* not #include "web/app.h" */'
try pass cgi-bin/console/home.c '// PQclear( and "SELECT id FROM tickets" in a comment'
try pass cgi-bin/console/home.c '#include "db/db.h"'
try pass src/cli/main.c '#include "auth/password.h"'
try pass src/auth/session.c '#include "db/db.h"'
try pass cgi-bin/portal/login.c '/* the use case calls db_begin( itself */'
try pass src/domain/tickets.c 'static int f(struct db *d) { return db_begin(d); }'

if [ "$failures" != 0 ]; then
	echo "check-layers-test: $failures of $cases cases FAILED" >&2
	exit 1
fi
echo "check-layers-test: $cases cases, the check fails on each forbidden edge"
