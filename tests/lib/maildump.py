#!/usr/bin/python3
"""maildump.py FILE... — what a mail reader makes of each message.

The notify suite writes messages (as .eml files, or through a real SMTP
server into a Maildir) and asks Python's own e-mail parser, an independent
reader, what they say: decoded headers, each MIME part decoded, and the
defects the parser found. One block per file:

    == FILE
    To: ...
    Subject: ... (decoded from RFC 2047)
    Defects: N
    MaxLine: N (longest raw line, without CRLF)
    Part: text/plain
    ...decoded content...
    Part: text/html
    ...
    Attachment: NAME (TYPE, N bytes)   (a text one is then shown as a Part)

With MAILDUMP_FILES=DIR in the environment, each attachment is also
written to DIR/NAME, for the test to read back with the tools a person
would use (unzip, pdftotext).
"""
import email
import email.policy
import os
import sys


def dump(path):
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    print("==", path)
    for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
                 "Auto-Submitted", "In-Reply-To", "References", "Reply-To"):
        print("%s: %s" % (name, msg.get(name, "")))
    defects = list(msg.defects)
    for part in msg.walk():
        defects.extend(part.defects)
    print("Defects: %d" % len(defects))
    print("MaxLine: %d" % max(len(line) for line in raw.split(b"\r\n")))
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.is_attachment():
            data = part.get_content()
            octets = data.encode() if isinstance(data, str) else data
            name = os.path.basename(part.get_filename())
            print("Attachment: %s (%s, %d bytes)" % (name, part.get_content_type(), len(octets)))
            if os.environ.get("MAILDUMP_FILES"):
                with open(os.path.join(os.environ["MAILDUMP_FILES"], name), "wb") as f:
                    f.write(octets)
            if not isinstance(data, str):
                continue
            # A text file (an appointment's .ics) is shown as a part too.
        print("Part: %s" % part.get_content_type())
        # Line ends as a reader shows them, whatever the transport kept.
        print(part.get_content().replace("\r\n", "\n"))


for p in sys.argv[1:]:
    dump(p)
