#!/usr/bin/env bash
# run.sh — `make run`: the demo on http://127.0.0.1:8080 until Ctrl-C.
set -eu
. "$(dirname "$0")/lib.sh"
var=$top/var
port=${CSDESK_HTTP_PORT:-8080}

trap '"$top/scripts/stack.sh" stop "$var"; rm -f "$var/run/run.pid"; echo; echo "csdesk stopped."; exit 0' INT TERM
"$top/scripts/stack.sh" start "$var" "$port" "${CSDESK_WORKERS:-2}"
# So that `make stop` from another terminal can end this script too.
echo $$ >"$var/run/run.pid"

cat <<MSG

csdesk is running.

  Customer portal   http://127.0.0.1:$port/
  Agent console     http://127.0.0.1:$port/agent/
  Health checks     http://127.0.0.1:$port/healthz (portal),
                    http://127.0.0.1:$port/healthz/console (console)

  Demo logins       password for all: orange harbour lantern
    console (staff) admin@demo.csdesk.test (admin), sam@demo.csdesk.test
                    (supervisor), alex@demo.csdesk.test (agent),
                    wes@demo.csdesk.test (warehouse)
    portal          carol@northwind.demo.csdesk.test (account admin),
                    pat@demo.csdesk.test
  JSON API          http://127.0.0.1:$port/api/v1/openapi.json (its OpenAPI document;
                    keys at /agent/admin/api-keys; docs/api.md)
  Mail              written to $var/mail/ (no SMTP configured);
                    listed at http://127.0.0.1:$port/agent/admin/mail
  Database          $(bash "$top/scripts/env.sh")
  Logs              $var/log/

Press Ctrl-C to stop (or run \`make stop\` from another terminal).
MSG
# Sleep in the background so the trap runs as soon as a signal arrives.
while :; do sleep 3600 & wait $! || true; done
