#!/usr/bin/env python3
"""http-server.py - kabar's loopback HTTP server for tests.

Python 3 standard library only.  Binds 127.0.0.1 (never another address)
on a free port, serves the files of one directory and scripted routes that
let a test ask for every case a fetcher meets, and contacts nothing.

    python3 tests/http-server.py --root DIR [--port-file FILE] [--log FILE]
                                 [--max-seconds N] [--tls PEM]

The port is printed alone on the first line of stdout and, with
--port-file, written to FILE (atomically: the file appears complete).
The server exits on SIGTERM/SIGINT, after --max-seconds (default 300), and
when its parent process exits (the test script that started it).  With
--tls PEM (a certificate and its key) it speaks HTTPS.  A request for an
absolute URL (GET http://host/PATH, as a client sends to a proxy) is
served as PATH: the server is then the proxy, and nothing is forwarded.

Routes (prefixes before a path compose: /redirect/2/gzip/feed.xml):
  /PATH                 a file under --root: Content-Type guessed, ETag a
                        hash of the content, Last-Modified its mtime; 304
                        for a matching If-None-Match, or (no If-None-Match)
                        an If-Modified-Since not before the mtime
  /gzip/PATH            gzip-encoded (Content-Encoding: gzip) when the
                        request's Accept-Encoding names gzip, else as is
  /no-etag/PATH         without ETag        /no-lastmod/PATH  without Last-Modified
  /delay/MS/PATH        waits MS milliseconds (at most 60,000) first
  /max-age/S/PATH       adds Cache-Control: max-age=S (to a 200 or 304)
  /retry-after/S        503 with Retry-After: S
  /redirect/N/PATH      a chain of N 302s (1 <= N <= 50), then PATH; every
                        redirect carries ETag: "redirect"
  /redirect-301/PATH    one 301 to PATH
  /loop                 302 to itself, for ever
  /redirect-file        302 to file:///etc/passwd (a refused scheme)
  /status/CODE          that status (200 <= CODE < 600) with a short body
  /stall/S              headers (200, Content-Length: 100), then nothing
                        for S seconds (at most 60), then a close
  /stall-before/S       nothing at all for S seconds, then a close
  /trickle/S            headers (200, Content-Length: S), then one byte a
                        second for S seconds (at most 60)
  /big/BYTES            a body of BYTES 'x' (at most 256 MiB) chunked,
                        without Content-Length
  /big-cl/BYTES         the same with Content-Length
  /headers              the request's headers as a text/plain body

With --log FILE, one line per response, written before its body:
    METHOD PATH inm=yes|no ims=yes|no STATUS
(PATH as requested, query included; inm/ims: whether If-None-Match /
If-Modified-Since came), e.g. "GET /feed.xml inm=yes ims=yes 304".
"""

import argparse
import email.utils
import gzip
import hashlib
import http.server
import mimetypes
import os
import signal
import sys
import threading
import time
import urllib.parse

MAX_REDIRECTS = 50
MAX_STALL_S = 60.0
MAX_DELAY_MS = 60000
MAX_BIG = 256 * 1024 * 1024
CHUNK = 64 * 1024

mimetypes.add_type("application/rss+xml", ".rss")
mimetypes.add_type("application/atom+xml", ".atom")
mimetypes.add_type("application/xml", ".xml")
mimetypes.add_type("text/html", ".html")
mimetypes.add_type("text/plain", ".txt")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # an idle keep-alive connection is dropped after this many seconds
    timeout = 30

    def version_string(self):
        return "kabar-test-server/1"

    # ---- the request log ------------------------------------------------
    def log_request(self, code="-", size="-"):
        log = self.server.log
        if log is None:
            return
        if isinstance(code, http.HTTPStatus):
            code = code.value
        inm = "yes" if self.headers.get("If-None-Match") else "no"
        ims = "yes" if self.headers.get("If-Modified-Since") else "no"
        line = "%s %s inm=%s ims=%s %s\n" % (self.command, self.path, inm, ims, code)
        with self.server.log_lock:
            log.write(line)
            log.flush()

    def log_message(self, fmt, *args):
        pass  # quiet: the request log is the record

    # ---- helpers ----------------------------------------------------------
    def reply(self, code, body=b"", ctype="text/plain; charset=utf-8", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if code == 304 or code == 204 or code < 200:
            self.end_headers()
            return
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, code, location):
        # an ETag of its own, so a client can show it keeps only the
        # final response's headers
        body = ("-> %s\n" % location).encode()
        self.reply(code, body, headers=[("Location", location), ("ETag", '"redirect"')])

    def sleep(self, seconds):
        time.sleep(max(0.0, min(seconds, MAX_STALL_S)))

    # ---- dispatch ---------------------------------------------------------
    def do_HEAD(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def handle_any(self):
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        query = ("?" + url.query) if url.query else ""
        parts = [p for p in url.path.split("/") if p != ""]
        mods = {"gzip": False, "etag": True, "lastmod": True, "max_age": None}

        while parts:
            head = parts[0]
            if head == "gzip":
                mods["gzip"] = True
                parts = parts[1:]
            elif head == "no-etag":
                mods["etag"] = False
                parts = parts[1:]
            elif head == "no-lastmod":
                mods["lastmod"] = False
                parts = parts[1:]
            elif head == "max-age" and len(parts) >= 2 and parts[1].isdigit():
                mods["max_age"] = int(parts[1])
                parts = parts[2:]
            elif head == "delay" and len(parts) >= 2 and parts[1].isdigit():
                time.sleep(min(int(parts[1]), MAX_DELAY_MS) / 1000.0)
                parts = parts[2:]
            else:
                break

        head = parts[0] if parts else ""
        rest = "/" + "/".join(parts[1:])
        arg = parts[1] if len(parts) >= 2 else ""

        if head == "redirect" and arg.isdigit():
            n = min(int(arg), MAX_REDIRECTS)
            tail = "/" + "/".join(parts[2:])
            if n <= 1:
                self.redirect(302, tail + query)
            else:
                self.redirect(302, "/redirect/%d%s%s" % (n - 1, tail, query))
        elif head == "redirect-301":
            self.redirect(301, rest + query)
        elif head == "loop" and len(parts) == 1:
            self.redirect(302, "/loop")
        elif head == "redirect-file" and len(parts) == 1:
            self.redirect(302, "file:///etc/passwd")
        elif head == "status" and arg.isdigit() and 200 <= int(arg) < 600:
            code = int(arg)
            try:
                phrase = http.HTTPStatus(code).phrase
            except ValueError:
                phrase = ""
            self.reply(code, ("%d %s\n" % (code, phrase)).encode())
        elif head == "retry-after" and arg.isdigit() and len(parts) == 2:
            self.reply(503, b"busy\n", headers=[("Retry-After", arg)])
        elif head == "stall" and len(parts) == 2:
            self.stall(parts[1], headers_first=True)
        elif head == "trickle" and arg.isdigit() and len(parts) == 2:
            n = min(int(arg), int(MAX_STALL_S))
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for _ in range(n):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1.0)
        elif head == "stall-before" and len(parts) == 2:
            self.stall(parts[1], headers_first=False)
        elif head in ("big", "big-cl") and arg.isdigit() and len(parts) == 2:
            self.big(min(int(arg), MAX_BIG), head == "big-cl")
        elif head == "headers" and len(parts) == 1:
            self.reply(200, str(self.headers).encode("utf-8", "replace"))
        else:
            self.file(parts, mods)

    # ---- routes -----------------------------------------------------------
    def stall(self, arg, headers_first):
        try:
            seconds = float(arg)
        except ValueError:
            self.reply(400, b"bad seconds\n")
            return
        self.close_connection = True
        if headers_first:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
        self.sleep(seconds)

    def big(self, n, with_length):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if with_length:
            self.send_header("Content-Length", str(n))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            if not with_length:
                self.wfile.write(b"0\r\n\r\n")
            return
        block = b"x" * CHUNK
        left = n
        while left > 0:
            k = min(left, CHUNK)
            data = block[:k]
            if with_length:
                self.wfile.write(data)
            else:
                self.wfile.write(b"%x\r\n%s\r\n" % (k, data))
            left -= k
        if not with_length:
            self.wfile.write(b"0\r\n\r\n")

    def file(self, parts, mods):
        root = self.server.root
        rel = [urllib.parse.unquote(p) for p in parts]
        if any(p in ("..", ".") or "/" in p or "\0" in p for p in rel):
            self.reply(404, b"not found\n")
            return
        path = os.path.realpath(os.path.join(root, *rel)) if rel else root
        if not (path == root or path.startswith(root + os.sep)) or not os.path.isfile(path):
            self.reply(404, b"not found\n")
            return
        with open(path, "rb") as fh:
            data = fh.read()
        mtime = int(os.stat(path).st_mtime)
        ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        encode = mods["gzip"] and "gzip" in self.headers.get("Accept-Encoding", "").lower()
        tag = hashlib.sha1(data).hexdigest()[:20]
        etag = '"%s%s"' % (tag, "-gz" if encode else "")
        lastmod = email.utils.formatdate(mtime, usegmt=True)

        headers = []
        if mods["etag"]:
            headers.append(("ETag", etag))
        if mods["lastmod"]:
            headers.append(("Last-Modified", lastmod))
        if mods["gzip"]:
            headers.append(("Vary", "Accept-Encoding"))
        if mods["max_age"] is not None:
            headers.append(("Cache-Control", "public, max-age=%d" % mods["max_age"]))

        if self.not_modified(etag if mods["etag"] else None, mtime if mods["lastmod"] else None):
            self.reply(304, headers=headers)
            return
        if encode:
            data = gzip.compress(data, mtime=0)
            headers.append(("Content-Encoding", "gzip"))
        self.reply(200, data, ctype=ctype, headers=headers)

    def not_modified(self, etag, mtime):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            if etag is None:
                return False
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or etag in tags or ("W/" + etag) in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is not None and mtime is not None:
            try:
                when = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            return mtime <= when
        return False


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # a client that hung up (a timeout, a refused body) is no news
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as fh:
        fh.write("%d\n" % port)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description="kabar's loopback test HTTP server")
    ap.add_argument("--root", required=True, help="the directory to serve")
    ap.add_argument("--port-file", help="write the port to this file")
    ap.add_argument("--log", help="append one line per request to this file")
    ap.add_argument("--max-seconds", type=float, default=300.0,
                    help="exit after this long (default 300)")
    ap.add_argument("--tls", help="serve HTTPS with this PEM (certificate and key)")
    args = ap.parse_args()

    def bye(*_):
        os._exit(0)

    signal.signal(signal.SIGTERM, bye)
    signal.signal(signal.SIGINT, bye)
    signal.signal(signal.SIGHUP, bye)

    server = Server(("127.0.0.1", 0), Handler)
    if args.tls:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.root = os.path.realpath(args.root)
    server.log = open(args.log, "a", encoding="utf-8") if args.log else None
    server.log_lock = threading.Lock()
    port = server.server_address[1]

    limit = threading.Timer(max(0.0, args.max_seconds), bye)
    limit.daemon = True
    limit.start()

    parent = os.getppid()
    if parent != 1:
        def watch_parent():
            while True:
                time.sleep(0.5)
                if os.getppid() != parent:
                    bye()
        threading.Thread(target=watch_parent, daemon=True).start()

    if args.port_file:
        write_port_file(args.port_file, port)
    try:
        sys.stdout.write("%d\n" % port)
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        pass
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
