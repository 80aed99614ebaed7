#!/usr/bin/env bash
# check-layers.sh — `make test` (and `make check-layers`): fails when a file
# in src/ or cgi-bin/ includes across a forbidden edge of the layering that
# docs/architecture.md describes, or when a handler holds SQL.
#
#   check-layers.sh [TREE]    TREE: the checkout to read (default: this one)
#
# A file may include its own layer and the layers this table allows:
#
#   core      -
#   tmpl      core
#   db        core
#   auth      db core
#   domain    auth db tmpl core
#   web       domain auth db tmpl core
#   cli       domain auth db tmpl core
#   cgi-bin   web domain auth db tmpl core
#
# and, besides: <libpq-fe.h> only from db, auth, domain, web and cli; in
# cgi-bin no PQ* call, no statement (struct db_stmt, DB_STMT), no SQL
# text in a string and no transaction of its own (db_begin, db_begin_with,
# db_commit, db_rollback, db_end: a use case owns it). Prints each breach as FILE:LINE: what; exits 1 if any.
set -eu
tree=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$tree"
files=$(find src cgi-bin -name '*.[ch]' | sort)
# shellcheck disable=SC2086
awk '
BEGIN {
	allow["core"] = ""
	allow["tmpl"] = "core"
	allow["db"] = "core"
	allow["auth"] = "db core"
	allow["domain"] = "auth db tmpl core"
	allow["web"] = "domain auth db tmpl core"
	allow["cli"] = "domain auth db tmpl core"
	allow["cgi-bin"] = "web domain auth db tmpl core"
	libpq["db"] = libpq["auth"] = libpq["domain"] = libpq["web"] = libpq["cli"] = 1
	bad = 0
}
FNR == 1 {
	n = split(FILENAME, part, "/")
	from = part[1] == "cgi-bin" ? "cgi-bin" : part[2]
	incomment = 0
	nfiles++
}
function breach(what) {
	printf "%s:%d: %s\n", FILENAME, FNR, what
	bad++
}
{
	# The code of the line, without comments (strings keep their text).
	line = $0
	if (incomment) {
		if (!sub(/^.*\*\//, "", line)) next
		incomment = 0
	}
	gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", line)
	if (sub(/\/\*.*$/, "", line)) incomment = 1
	sub(/^[ \t]*\/\/.*$/, "", line)
}
line ~ /^[ \t]*#[ \t]*include[ \t]*"/ {
	target = line
	sub(/^[^"]*"/, "", target)
	sub(/".*$/, "", target)
	if (index(target, "/") == 0) to = from
	else {
		to = substr(target, 1, index(target, "/") - 1)
		if (to == "console" || to == "portal") to = "cgi-bin"
	}
	if (!(to in allow))
		breach("includes \"" target "\", which is in no layer")
	else if (to != from && index(" " allow[from] " ", " " to " ") == 0)
		breach(from " includes \"" target "\": " from " may include only " \
		    (allow[from] == "" ? "itself" : allow[from]))
}
line ~ /^[ \t]*#[ \t]*include[ \t]*<libpq-fe\.h>/ && !(from in libpq) {
	breach(from " includes <libpq-fe.h>: only db and the layers above it talk to libpq")
}
from == "cgi-bin" && line ~ /(^|[^A-Za-z0-9_])PQ[a-z][A-Za-z]*[ \t]*\(/ {
	breach("a handler calls libpq (" line ")")
}
from == "cgi-bin" && line ~ /struct[ \t]+db_stmt|DB_STMT[ \t]*\(/ {
	breach("a handler holds a statement: SQL belongs in src/domain")
}
from == "cgi-bin" && line ~ /(^|[^A-Za-z0-9_])db_(begin|begin_with|commit|rollback|end)[ \t]*\(/ {
	breach("a handler opens or ends a transaction: a use case in src/domain owns it")
}
from == "cgi-bin" && line ~ /"[^"]*(SELECT[ \t]|INSERT[ \t]+INTO|UPDATE[ \t]+[a-z_]+[ \t]+SET|DELETE[ \t]+FROM|RETURNING[ \t])/ {
	breach("a handler holds SQL text: SQL belongs in src/domain")
}
END {
	if (bad) {
		printf "layers: %d forbidden include(s) or SQL in handlers; see docs/architecture.md\n", bad > "/dev/stderr"
		exit 1
	}
	printf "layers: %d files in src/ and cgi-bin/ keep to the layering\n", nfiles
}
' $files
