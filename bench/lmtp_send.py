#!/usr/bin/python3
"""lmtp_send.py PORT DIR FIRST LAST — delivers DIR/FIRST.eml .. DIR/LAST.eml
to csdesk lmtp on 127.0.0.1:PORT over one LMTP session, as an MTA that
keeps its connection does; exits 1 when any recipient was not accepted."""
import smtplib
import sys

port, d, first, last = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
bad = 0
with smtplib.LMTP("127.0.0.1", port) as s:
    for i in range(first, last + 1):
        with open("%s/%d.eml" % (d, i), "rb") as f:
            refused = s.sendmail("mta@example.com", ["support@example.com"], f.read())
        bad += len(refused)
sys.exit(1 if bad else 0)
