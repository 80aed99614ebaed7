#!/usr/bin/python3
"""mail_mix.py DIR N RUN TICKETS [DOMAIN] — writes N messages, DIR/1.eml ..
DIR/N.eml, for scripts/bench_mail.sh: the mix a desk receives. TICKETS is a
file of open tickets, one "number|requester e-mail|reply token" a line
(their customers answer them); RUN makes the Message-IDs and the new
senders' addresses unique to this run; DOMAIN is the desk's (the inbound
address support@DOMAIN routes to its queue).

Ten messages a round, in this order:
  0 a new sender's request (a contact is made)            -> ticket
  1 a known customer's request with a PDF attached        -> ticket
  2 message 0's sender answers it by In-Reply-To           -> reply
  3 a customer answers an open ticket by its subject tag   -> reply
  4 a customer answers by the ticket's reply address only  -> reply
  5 a new sender's out-of-office (Auto-Submitted)          -> ticket, no auto-reply
  6 message 0's sender again, text and HTML alternative    -> ticket
  7 message 1's customer answers it by In-Reply-To         -> reply
  8 a mailing list's message from message 0's sender       -> ticket, no auto-reply
  9 a new sender's HTML-only request                       -> ticket
A reply refers to a message of the same round, so a spool or an LMTP
session that takes every P-th message (P dividing 10) sees it first.
Prints the expected counts: "tickets N replies N"."""
import base64
import sys

d, n, run, tickets_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
domain = sys.argv[5] if len(sys.argv) > 5 else "demo.csdesk.test"
tickets = []
with open(tickets_file) as f:
    for line in f:
        parts = line.strip().split("|")
        if len(parts) == 3 and all(parts):
            tickets.append(parts)
if not tickets:
    sys.exit("mail_mix.py: no open tickets to answer")
off = sum(map(ord, run)) * 7919 % len(tickets)      # another account a run
pdf = base64.encodebytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n").decode()


def mid(i):
    return "<%s-%d@mail.example.net>" % (run, i)


def head(i, frm, subject, extra="", to="support@" + domain):
    return ("From: %s\r\nTo: %s\r\nMessage-ID: %s\r\nDate: Sun, 06 Dec 2026 12:00:00 +0000\r\n"
            "Subject: %s\r\nMIME-Version: 1.0\r\n%s" % (frm, to, mid(i), subject, extra))


def plain(text):
    return "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text.replace("\n", "\r\n")


body = ("The printer in room %d jams on the second page since Monday.\n"
        "It shows error E-%d.\n\nRegards,\n%s\n\n-- \nSent from my phone\n")
quoted = "\nOn Monday the desk wrote:\n> Thank you for your message.\n> We look into it.\n"
expect = {"ticket": 0, "reply": 0}
for i in range(1, n + 1):
    k, r = (i - 1) % 10, (i - 1) // 10
    base = i - k                        # message 0 of this round
    new = "Sender %s-%d <%s-%d@mail.example.net>" % (run, r, run, r)
    t = tickets[(r + off) % len(tickets)]
    known = t[1]
    text = body % (i, i, "Kim")
    if k == 0:
        m = head(i, new, "Printer %d jams" % i) + plain(text)
    elif k == 1:
        bnd = "mix-%d" % i
        m = (head(i, known, "Invoice %d is wrong" % i,
                  'Content-Type: multipart/mixed; boundary="%s"\r\n' % bnd) +
             "\r\n--%s\r\n%s\r\n--%s\r\nContent-Type: application/pdf; name=\"invoice-%d.pdf\"\r\n"
             "Content-Disposition: attachment; filename=\"invoice-%d.pdf\"\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--%s--\r\n" %
             (bnd, plain(text), bnd, i, i, pdf.replace("\n", "\r\n"), bnd))
    elif k == 2:
        m = head(i, new, "Re: Printer %d jams" % base,
                 "In-Reply-To: %s\r\nReferences: %s\r\n" % (mid(base), mid(base))) + \
            plain("It still jams.\n" + quoted)
    elif k == 3:
        m = head(i, known, "Re: [%s] my request" % t[0]) + plain("Any news?\n" + quoted)
    elif k == 4:
        m = head(i, known, "Re: my request", to="support+%s@%s" % (t[2], domain)) + \
            plain("Here is the serial number: SN-%d.\n" % i + quoted)
    elif k == 5:
        m = head(i, "Away %s-%d <away-%s-%d@mail.example.net>" % (run, r, run, r),
                 "Out of office", "Auto-Submitted: auto-replied\r\n") + \
            plain("I am away until Monday.\n")
    elif k == 6:
        bnd = "alt-%d" % i
        m = (head(i, new, "Scanner %d is slow" % i,
                  'Content-Type: multipart/alternative; boundary="%s"\r\n' % bnd) +
             "\r\n--%s\r\n%s\r\n--%s\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
             "<p>The scanner is <b>slow</b>.</p>\r\n--%s--\r\n" % (bnd, plain(text), bnd, bnd))
    elif k == 7:
        m = head(i, known, "Re: Invoice %d is wrong" % (base + 1),
                 "In-Reply-To: %s\r\n" % mid(base + 1)) + plain("The total is 12.50.\n" + quoted)
    elif k == 8:
        m = head(i, new, "[users] Toner %d" % i,
                 "List-Id: <users.lists.example.net>\r\nPrecedence: list\r\n") + plain(text)
    else:
        m = (head(i, "Html %s-%d <html-%s-%d@mail.example.net>" % (run, r, run, r),
                  "Monitor %d flickers" % i, "Content-Type: text/html; charset=UTF-8\r\n") +
             "\r\n<html><body><p>The monitor <i>flickers</i>.</p><p>Kim</p></body></html>\r\n")
    expect["reply" if k in (2, 3, 4, 7) else "ticket"] += 1
    with open("%s/%d.eml" % (d, i), "w", newline="") as f:
        f.write(m)
print("tickets %d replies %d" % (expect["ticket"], expect["reply"]))
