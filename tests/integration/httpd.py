#!/usr/bin/env python3
"""Fault-injecting HTTP/1.1 test server for the gleanerd integration tests.

usage: httpd.py [--port P] [--addr A[,A...]] [--feeds N] [--items N] [-v]

Listens on every address given (same port; default 127.0.0.1) and prints the
port on stdout line 1.  Python standard library only; exits 0 on SIGTERM/INT.

Routes (NAME is any word; ?n=N sets the item count, default --items):
  /feed/NAME          RSS 2.0, deterministic; ETag + Last-Modified, 304 on a
                      matching If-None-Match or If-Modified-Since
  /gzip/NAME          the same, Content-Encoding: gzip
  /moved301/NAME      301 to /feed/NAME        /moved302/NAME  302 to /feed/NAME
  /status/CODE        that status (?ra=S adds Retry-After: S)
  /ratelimit          429, Retry-After: 120
  /slow               a feed dripped at 1 byte per second (?bps=N)
  /hang               accepts the request, never answers
  /big                40 MiB, close-delimited; ?cl=1 with Content-Length;
                      ?gz=1 gzip-encoded (40 MiB decoded, small on the wire)
  /reset              half a feed, then a TCP reset (SO_LINGER 0 + close)
  /toprivate          301 to http://127.0.0.2:PORT/feed/x (?to=URL)
  /html               an HTML page served as application/rss+xml
  /empty              200 with an empty body
  /pages/FILE         tests/data/articles/FILE (text/html for .html, no charset
                      for .htm, RSS for
                      .xml with {BASE}, {PRIV} (127.0.0.2) and {PUB} (?pub=ADDR;
                      lines with {PUB} dropped without it) filled in, else by
                      extension); ?pad=N adds N bytes; ?flaky=1 answers 404
                      until /_fix
  /feeds.opml, /_conf with --feeds N: the feeds f0..f(N-1) as OPML / config
  /_log, /_reset_log  JSON: every request (path, headers, status, done, sent)
Any route: ?delay=S waits S seconds before answering.
"""
import argparse, email.utils, gzip, hashlib, html, json, os, select, signal
import socket, socketserver, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BASE = 1704067200  # 2024-01-01T00:00:00Z: Last-Modified and the newest item
BIG = 40 * 1024 * 1024
HERE = os.path.dirname(os.path.abspath(__file__))
PAGE = os.path.join(HERE, "..", "data", "daemon", "page.html")
PAGES = os.path.normpath(os.path.join(HERE, "..", "data", "articles"))

lock = threading.Lock()
state = {"log": [], "seq": 0, "biggz": None, "fixed": False}
stop = threading.Event()
opts = None


def rss(name, n):
    esc = html.escape(name)
    items = "".join(
        "<item><title>%s item %d</title><link>http://example.org/%s/%d</link>"
        '<guid isPermaLink="false">%s-%d</guid><pubDate>%s</pubDate>'
        "<description>Item %d of %s.</description></item>\n"
        % (esc, i, esc, i, esc, i, email.utils.formatdate(BASE - 3600 * i, usegmt=True), i, esc)
        for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            "<title>Feed %s</title><link>http://example.org/%s/</link>"
            "<description>Test feed %s</description>\n%s</channel></rss>\n"
            % (esc, esc, esc, items)).encode()


def big_body():
    head = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>big</title>\n'
    block = b"".join(b"<item><title>filler %05d</title><guid>big-%05d</guid></item>\n" % (i, i)
                     for i in range(400))[:16384]  # repeats within gzip's window
    yield head + block[len(head):]
    for _ in range(BIG // 16384 - 1):
        yield block


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gleaner-testd/1"

    def log_message(self, fmt, *args):
        if opts.verbose:
            sys.stderr.write("%s %s\n" % (self.server.server_address[0], fmt % args))

    def send_response(self, code, message=None):
        with lock:
            self.entry["status"] = code
        super().send_response(code, message)

    def reply(self, code, body=b"", ctype="application/rss+xml; charset=utf-8", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def feed(self, name, n, gz=False):
        body = rss(name, n)
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        lm = email.utils.formatdate(BASE, usegmt=True)
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
        elif ims:
            try:
                fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= BASE
            except (TypeError, ValueError):
                fresh = False
        hdrs = [("ETag", etag), ("Last-Modified", lm)]
        if fresh:
            self.send_response(304)
            for k, v in hdrs:
                self.send_header(k, v)
            self.end_headers()
            return
        if gz:
            body = gzip.compress(body, mtime=0)
            hdrs.append(("Content-Encoding", "gzip"))
        self.reply(200, body, headers=hdrs)

    def wait_peer(self, seconds=None):
        """Until the client closes, the server stops, or seconds pass."""
        end = None if seconds is None else time.time() + seconds
        while not stop.is_set() and (end is None or time.time() < end):
            r, _, _ = select.select([self.connection], [], [], 0.2)
            if r:
                try:
                    if not self.connection.recv(4096):
                        return True
                except OSError:
                    return True
        return False

    def do_GET(self):
        u = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        parts = u.path.strip("/").split("/")
        with lock:
            state["seq"] += 1
            self.entry = {"n": state["seq"], "path": self.path, "method": self.command,
                          "headers": dict(self.headers.items()), "t": time.time(), "sent": 0,
                          "server": self.server.server_address[0], "status": None, "done": False}
            if parts[0] not in ("_log", "_reset_log"):
                state["log"].append(self.entry)
        try:
            if "delay" in q:
                stop.wait(float(q["delay"]))
            self.route(parts, q)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        finally:
            with lock:
                self.entry["done"] = True
                self.entry["t_done"] = time.time()

    do_HEAD = do_GET

    def route(self, parts, q):
        port = self.server.server_address[1]
        host = self.headers.get("Host") or "127.0.0.1:%d" % port
        n = int(q.get("n", opts.items))
        name = parts[1] if len(parts) > 1 else "x"
        what = parts[0]
        if what == "feed":
            self.feed(name, n)
        elif what == "gzip":
            self.feed(name, n, gz=True)
        elif what in ("moved301", "moved302"):
            self.reply(int(what[5:]), b"", "text/plain",
                       [("Location", "http://%s/feed/%s" % (host, name))])
        elif what == "status":
            code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 500
            hdrs = [("Retry-After", q["ra"])] if "ra" in q else []
            self.reply(code, b"<html><body>status %d</body></html>\n" % code, "text/html", hdrs)
        elif what == "ratelimit":
            self.reply(429, b"slow down\n", "text/plain", [("Retry-After", "120")])
        elif what == "toprivate":
            to = q.get("to", "http://127.0.0.2:%d/feed/x" % port)
            self.reply(301, b"", "text/plain", [("Location", to)])
        elif what == "html":
            try:
                with open(PAGE, "rb") as f:
                    body = f.read()
            except OSError:
                body = b"<!DOCTYPE html><html><body><p>Not a feed.</p></body></html>\n"
            self.reply(200, body)
        elif what == "empty":
            self.reply(200, b"")
        elif what == "slow":
            self.slow(rss("slow", 3), max(1, int(q.get("bps", 1))))
        elif what == "hang":
            self.wait_peer()
            self.close_connection = True
        elif what == "big":
            self.big(q.get("cl") == "1", q.get("gz") == "1")
        elif what == "reset":
            self.reset(rss("reset", 20))
        elif what == "pages":
            self.pages(parts, q, host, port)
        elif what == "_fix":
            with lock:
                state["fixed"] = True
            self.reply(200, b"fixed\n", "text/plain")
        elif what in ("feeds.opml", "_conf"):
            self.listing(what, host)
        elif what == "_log":
            with lock:
                body = json.dumps(state["log"]).encode()
            self.reply(200, body, "application/json")
        elif what == "_reset_log":
            with lock:
                state["log"] = []
            self.reply(200, b"[]", "application/json")
        else:
            self.reply(404, b"no such route\n", "text/plain")

    def pages(self, parts, q, host, port):
        name = "/".join(parts[1:])
        path = os.path.normpath(os.path.join(PAGES, name))
        if not path.startswith(PAGES + os.sep) or not os.path.isfile(path):
            return self.reply(404, b"<html><body>no such page</body></html>\n", "text/html")
        if q.get("flaky") == "1" and not state["fixed"]:
            return self.reply(404, b"<html><body>not yet</body></html>\n", "text/html")
        with open(path, "rb") as f:
            body = f.read()
        ext = os.path.splitext(path)[1]
        ctype = {".html": "text/html; charset=utf-8", ".htm": "text/html", ".xml": "application/rss+xml",
                 ".png": "image/png", ".xhtml": "application/xhtml+xml"}.get(ext, "text/plain")
        if ext == ".xml":
            text = body.decode()
            if "pub" not in q:
                text = "".join(l for l in text.splitlines(True) if "{PUB}" not in l)
            text = text.replace("{BASE}", "http://" + host)
            text = text.replace("{PRIV}", "http://127.0.0.2:%d" % port)
            text = text.replace("{PUB}", "http://%s:%d" % (q.get("pub", ""), port))
            body = text.encode()
        if "pad" in q:
            body += b"<!-- " + b"x" * int(q["pad"]) + b" -->\n"
        self.reply(200, body, ctype)

    def slow(self, body, bps):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for i in range(0, len(body), bps):
            if stop.is_set():
                break
            self.wfile.write(body[i:i + bps])
            self.wfile.flush()
            if self.wait_peer(1.0):
                break
        self.close_connection = True

    def big(self, cl, gz):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if gz:
            with lock:
                if state["biggz"] is None:
                    state["biggz"] = gzip.compress(b"".join(big_body()), 6, mtime=0)
                body = state["biggz"]
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if cl:
            self.send_header("Content-Length", str(BIG))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        for chunk in big_body():
            if stop.is_set():
                break
            self.wfile.write(chunk)
            with lock:
                self.entry["sent"] += len(chunk)
        self.close_connection = True

    def reset(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[:len(body) // 2])
        self.wfile.flush()
        time.sleep(0.2)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        # rfile (a makefile()) holds the socket open: close it first, so
        # that close() really closes and the kernel sends the RST.
        self.rfile.close()
        self.connection.close()

    def listing(self, what, host):
        names = ["f%d" % i for i in range(opts.feeds)]
        if what == "_conf":
            body = "".join('[feed "%s"]\nurl = http://%s/feed/%s\n\n' % (x, host, x) for x in names)
        else:
            body = ('<?xml version="1.0"?>\n<opml version="2.0"><head><title>test feeds</title>'
                    "</head><body>\n%s</body></opml>\n" % "".join(
                        '<outline type="rss" text="%s" xmlUrl="http://%s/feed/%s"/>\n' % (x, host, x)
                        for x in names))
        self.reply(200, body.encode(), "text/plain; charset=utf-8")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        if opts.verbose or not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def server_bind(self):  # no getfqdn(): no DNS lookups in a sandbox
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def listen(addrs, port):
    for _ in range(20):
        servers = []
        try:
            for a in addrs:
                servers.append(Server((a, port), Handler))
                port = servers[0].server_address[1]
            return servers
        except OSError:
            for s in servers:
                s.server_close()
            if opts.port:
                raise
            port = 0
    raise SystemExit("httpd.py: cannot bind the same port on %s" % ",".join(addrs))


def main():
    global opts
    ap = argparse.ArgumentParser(description="fault-injecting HTTP test server")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--addr", default="127.0.0.1", help="comma-separated addresses")
    ap.add_argument("--feeds", type=int, default=0, help="serve f0..f(N-1) in /_conf, /feeds.opml")
    ap.add_argument("--items", type=int, default=5, help="items per feed (default 5)")
    ap.add_argument("-v", "--verbose", action="store_true")
    opts = ap.parse_args()
    servers = listen([a for a in opts.addr.split(",") if a], opts.port)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
               for s in servers]
    for t in threads:
        t.start()
    print(servers[0].server_address[1], flush=True)
    while not stop.wait(0.2):
        pass
    for s in servers:
        s.shutdown()
        s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
