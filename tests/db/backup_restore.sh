#!/usr/bin/env bash
# backup_restore.sh — the runbook of docs/operations.md ("Backup and
# restore") run end to end, for check_hardening.c:
#
#   backup_restore.sh CONNINFO WORKDIR BUILD TICKET_NUMBER
#
# Dumps the database at CONNINFO, starts a new cluster under WORKDIR,
# creates the two program roles there, restores the dump, runs
# `csdesk migrate` (functions and grants) and `csdesk audit verify`, and
# checks that ticket TICKET_NUMBER came back and the portal's role can
# read tickets again. The new cluster is stopped on every exit.
set -eu
. "$(dirname "$0")/../../scripts/lib.sh"

src=${1:?conninfo} work=${2:?work dir} build=${3:?build dir} number=${4:?ticket number}
bin=$(pg_bin)
chmod 755 "$work"

# 1. The backup: one file in the custom format (compressed, restorable in parallel).
"$bin/pg_dump" --format=custom --file="$work/csdesk.dump" --dbname="$src"

# 2. A new, empty cluster.
port=$(free_port)
trap '"$top/scripts/pg.sh" stop "$work/pg2"' EXIT
"$top/scripts/pg.sh" start "$work/pg2" "$port" fast
new="host=127.0.0.1 port=$port user=csdesk"
"$bin/psql" -Xq -v ON_ERROR_STOP=1 "$new dbname=postgres" \
	-c "CREATE ROLE csdesk_portal LOGIN NOINHERIT" \
	-c "CREATE ROLE csdesk_console LOGIN NOINHERIT" \
	-c "CREATE DATABASE csdesk"

# 3. The restore: owned by who restores; grants come from migrate.
"$bin/pg_restore" --no-owner --no-privileges --exit-on-error \
	--dbname="$new dbname=csdesk" "$work/csdesk.dump"

# 4. Functions and grants in their current form, then the audit chain.
CSDESK_DB="$new dbname=csdesk" CSDESK_DATADIR=$top "$build/csdesk" migrate
CSDESK_DB="$new dbname=csdesk" "$build/csdesk" audit verify

# 5. The data is there and the programs' roles can use it.
test "$("$bin/psql" -XAtq "$new dbname=csdesk" \
	-c "SELECT count(*) FROM tickets WHERE number = '$number'")" = 1
test "$("$bin/psql" -XAtq "$new dbname=csdesk" \
	-c "SELECT count(*) FROM audit_log WHERE action = 'backup.test'")" = 2
test "$("$bin/psql" -XAtq "$new dbname=csdesk" -c "SELECT has_table_privilege('csdesk_portal',
	'tickets', 'SELECT') AND has_table_privilege('csdesk_console', 'tickets', 'UPDATE')")" = t
echo "backup_restore: restored, migrated and verified"
