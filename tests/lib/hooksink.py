#!/usr/bin/python3
"""hooksink.py PORT DIR — a real HTTP receiver for the webhook tests.

Each POST is written to DIR/requests as one JSON line: the path, the
X-Csdesk-* headers and the body as received. The answer's status is the
number in DIR/status when that file exists (the test makes the receiver
fail, then recover), else 200.
"""
import http.server
import json
import os
import sys

PORT = int(sys.argv[1])
DIR = sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        record = {
            "path": self.path,
            "event": self.headers.get("X-Csdesk-Event", ""),
            "delivery": self.headers.get("X-Csdesk-Delivery", ""),
            "signature": self.headers.get("X-Csdesk-Signature", ""),
            "content_type": self.headers.get("Content-Type", ""),
            "body": body,
        }
        with open(os.path.join(DIR, "requests"), "a") as f:
            f.write(json.dumps(record) + "\n")
        status = 200
        try:
            with open(os.path.join(DIR, "status")) as f:
                status = int(f.read().strip())
        except FileNotFoundError:
            pass
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, fmt, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
