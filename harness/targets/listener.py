#!/usr/bin/env python3
"""atomic-lab callback listener: a loopback HTTP server that records every request.

Tests call back to it (test 1's download cradle, test 2's curl) with the run marker in the query;
it also serves files from --serve (test 3's remote-install variant fetches the MSI from it).
Each request becomes one JSON line in --log: time (UTC, ms), method, path, query (decoded), marker
(the `marker` query value, if any), client address, User-Agent, status and bytes sent. Binds to
127.0.0.1 only. Started inside the sandbox's network namespace by inner.sh.
"""
import argparse
import datetime
import http.server
import json
import os
import posixpath
import threading
import urllib.parse

LOCK = threading.Lock()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--serve", default="")
    ap.add_argument("--ready", required=True)
    args = ap.parse_args()
    log = open(args.log, "a", buffering=1, encoding="utf-8")
    serve_root = os.path.realpath(args.serve) if args.serve else ""

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "atomic-lab-listener/1"
        protocol_version = "HTTP/1.0"

        def _record(self, status, size):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            now = datetime.datetime.now(datetime.timezone.utc)
            rec = {
                "time": now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000),
                "method": self.command,
                "path": url.path,
                "query": {k: v if len(v) > 1 else v[0] for k, v in query.items()},
                "marker": (query.get("marker") or [None])[0],
                "client": self.client_address[0],
                "user_agent": self.headers.get("User-Agent"),
                "status": status,
                "bytes": size,
            }
            with LOCK:
                log.write(json.dumps(rec) + "\n")

        def _file(self):
            if not serve_root:
                return None
            rel = posixpath.normpath(urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)).lstrip("/")
            full = os.path.realpath(os.path.join(serve_root, rel))
            if full != serve_root and full.startswith(serve_root + os.sep) and os.path.isfile(full):
                return full
            return None

        def _respond(self, send_body):
            path = self._file()
            if path:
                with open(path, "rb") as fh:
                    body = fh.read()
                ctype = "application/octet-stream"
            else:
                body = b"atomic-lab callback received\n"
                ctype = "text/plain"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            self._record(200, len(body) if send_body else 0)

        def do_GET(self):
            self._respond(True)

        def do_HEAD(self):
            self._respond(False)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self._respond(True)

        def log_message(self, fmt, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    with open(args.ready, "w") as fh:
        fh.write("%d\n" % server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
