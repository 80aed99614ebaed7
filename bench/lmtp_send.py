#!/usr/bin/python3
"""lmtp_send.py PORT DIR FIRST STEP — delivers DIR/FIRST.eml, DIR/FIRST+STEP.eml,
… (while they exist) to csdesk lmtp on 127.0.0.1:PORT over one LMTP session,
as an MTA that keeps its connection does; exits 1 when any recipient was not
accepted."""
import os
import smtplib
import sys

port, d, i, step = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
bad = 0
with smtplib.LMTP("127.0.0.1", port) as s:
    while os.path.exists("%s/%d.eml" % (d, i)):
        with open("%s/%d.eml" % (d, i), "rb") as f:
            refused = s.sendmail("mta@example.com", ["support@demo.csdesk.test"], f.read())
        bad += len(refused)
        i += step
sys.exit(1 if bad else 0)
