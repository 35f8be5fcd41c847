#!/usr/bin/env python3
"""Fault-injecting HTTP/HTTPS server for tests/faults/run.sh.

usage: faultd.py [--addr A[,A...]] [--tls CERT,KEY] [--secret FILE] [-v]

Extends tests/integration/httpd.py (imported: every route it has is here
too) with one route per fault of the reliability suite.  Prints the HTTP
port on stdout line 1 and, with --tls, the HTTPS port on line 2.

  /f/KIND/NAME   the first request gets a good feed (3 items, guids
                 NAME-0..2); every later one gets the fault KIND, whose
                 items (if any) have guids NAME-bad-I.  ?always=1: the
                 fault from the first request on.  KINDs:
    slow       the bad feed at 1 byte per second (Content-Length set)
    reset      half of the bad feed, then a TCP reset
    hang       reads the request, never answers
    gztrunc    gzip-encoded bad feed cut at 60 % (Content-Length of the cut)
    gzbomb     gzip stream whose body inflates to 4 GiB (sent until the peer
               goes; a few MB on the wire per GB)
    badchunk   chunked encoding with an invalid chunk size after one chunk
    big        40 MiB close-delimited     bigcl  the same with Content-Length
               (one item whose description never ends)
    loop       302 to itself              tofile  302 to file://?file=PATH
    toftp      302 to ftp://127.0.0.1/    html    an HTML page, rss Content-Type
    empty      200, no body               errpage 200, an error page as text/html
    wrongct    a valid feed (guids NAME-new-I) as application/octet-stream
    laughs     billion laughs in the channel title
    xxe        external entities: file://SECRET and http://HOST/xxe-probe
    deep       100,000 nested elements between two items
    many       100,000 items (guids NAME-m-I)
    bigtitle   a 10 MB title in the channel and in an item
    badutf8    bytes that are not UTF-8 in every field of a UTF-8 document
    churn      the same 3 items with new guids on every request
    dupguid    5 items that all have the guid NAME-dup
    future     items dated in the year 9999 and 2999
  /grow/NAME     10 items per generation, the last 3 generations (guids
                 NAME-gG-I, 2 KB of text each); ETag "G", 304 on a match
  /_bump/NAME    the next generation of /grow/NAME
  /stream/NAME   a new generation on every request: 10 new items (NAME-rN-I)
                 and the 10 of the request before
  /_fstate       JSON: requests per /f/ path, TLS handshakes that failed
"""
import argparse, gzip, json, os, signal, socket, ssl, sys, threading, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import httpd  # noqa: E402  (the integration suite's server)

fstate = {"count": {}, "tls_fail": 0, "tls_ok": 0, "bomb_sent": 0, "gen": {}}
secret = None


def xml(channel_title, items, head=b"", extra=b""):
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + head +
            b'<rss version="2.0"><channel><title>' + channel_title +
            b"</title><link>http://example.org/</link><description>fault</description>\n" +
            extra + b"".join(items) + b"</channel></rss>\n")


def item(guid, title=None, link=None, date=b"Mon, 01 Jan 2024 00:00:00 GMT", desc=b"text"):
    title = title if title is not None else guid
    link = link if link is not None else b"http://example.org/" + guid
    return (b"<item><title>" + title + b"</title><link>" + link + b'</link><guid isPermaLink="false">' +
            guid + b"</guid><pubDate>" + date + b"</pubDate><description>" + desc +
            b"</description></item>\n")


def bad_feed(name, n=20):
    return xml(b"bad " + name, [item(b"%s-bad-%d" % (name, i)) for i in range(n)])


class Handler(httpd.Handler):
    def route(self, parts, q):
        if parts[0] == "_fstate":
            with httpd.lock:
                body = json.dumps(fstate).encode()
            return self.reply(200, body, "application/json")
        if parts[0] == "_bump" and len(parts) > 1:
            with httpd.lock:
                g = fstate["gen"][parts[1]] = fstate["gen"].get(parts[1], 0) + 1
            return self.reply(200, b"%d\n" % g, "text/plain")
        if parts[0] == "grow" and len(parts) > 1:
            return self.grow(parts[1].encode())
        if parts[0] == "stream" and len(parts) > 1:
            with httpd.lock:
                n = fstate["count"].get(self.path, 0)
                fstate["count"][self.path] = n + 1
            name = parts[1].encode()
            return self.reply(200, xml(b"stream " + name, [
                item(b"%s-r%d-%d" % (name, r, i), desc=b"request %d item %d" % (r, i))
                for r in (n, n - 1) if r >= 0 for i in range(10)]))
        if parts[0] == "xxe-probe":
            return self.reply(200, b"LEAKED-OVER-HTTP", "text/plain")
        if parts[0] != "f" or len(parts) < 3:
            return super().route(parts, q)
        kind, name = parts[1], parts[2]
        with httpd.lock:
            n = fstate["count"].get(self.path, 0)
            fstate["count"][self.path] = n + 1
        if n == 0 and q.get("always") != "1":
            return self.reply(200, httpd.rss(name, 3))
        getattr(self, "f_" + kind)(name.encode(), n, q)

    def grow(self, name):
        with httpd.lock:
            gen = fstate["gen"].get(name.decode(), 0)
        etag = '"%d"' % gen
        if self.headers.get("If-None-Match", "").strip() == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        text = b" ".join(b"word%d" % (i * 7919 % 10007) for i in range(300))
        items = [item(b"%s-g%d-%d" % (name, g, i), desc=b"%d %d " % (g, i) + text)
                 for g in range(gen, max(-1, gen - 3), -1) for i in range(10)]
        self.reply(200, xml(b"grow " + name, items), headers=[("ETag", etag)])

    # --- transfers
    def f_slow(self, name, n, q):
        self.slow(bad_feed(name), 1)

    def f_reset(self, name, n, q):
        self.reset(bad_feed(name))

    def f_hang(self, name, n, q):
        self.wait_peer()
        self.close_connection = True

    def f_gztrunc(self, name, n, q):
        z = gzip.compress(bad_feed(name, 200), mtime=0)
        self.reply(200, z[:len(z) * 6 // 10], headers=[("Content-Encoding", "gzip")])

    def f_gzbomb(self, name, n, q):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        self.wfile.write(c.compress(xml(b"bomb", [item(name + b"-bad-0")])[:-len(b"</channel></rss>\n")]))
        block = b" " * (1 << 20)
        for _ in range(4096):  # 4 GiB of blanks, about 4 MB compressed
            if httpd.stop.is_set():
                break
            out = c.compress(block)
            if out:
                self.wfile.write(out)
                with httpd.lock:
                    fstate["bomb_sent"] += len(out)
        self.wfile.write(c.flush())

    def f_badchunk(self, name, n, q):
        body = bad_feed(name)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        half = body[:len(body) // 2]
        self.wfile.write(b"%x\r\n%s\r\nzz-not-hex\r\n%s\r\n0\r\n\r\n" % (len(half), half, body[len(half):]))
        self.close_connection = True

    def f_big(self, name, n, q, cl=False):
        head = xml(b"big", [b"<item><guid>%s-bad-0</guid><description>" % name])[:-len(b"</channel></rss>\n")]
        block = b"x" * (1 << 20)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if cl:
            self.send_header("Content-Length", str(len(head) + 40 * len(block)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(head)
        for _ in range(40):
            if httpd.stop.is_set():
                break
            self.wfile.write(block)

    def f_bigcl(self, name, n, q):
        self.f_big(name, n, q, cl=True)

    # --- redirects
    def f_loop(self, name, n, q):
        self.reply(302, b"", "text/plain", [("Location", self.path)])

    def f_tofile(self, name, n, q):
        self.reply(302, b"", "text/plain", [("Location", "file://" + q.get("file", "/etc/passwd"))])

    def f_toftp(self, name, n, q):
        self.reply(302, b"", "text/plain", [("Location", "ftp://127.0.0.1:%d/feed.xml" % self.server.server_address[1])])

    # --- not feeds
    def f_html(self, name, n, q):
        self.reply(200, b"<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>Our blog</h1>"
                        b"<p>" + name + b"</p></body></html>\n")

    def f_empty(self, name, n, q):
        self.reply(200, b"")

    def f_errpage(self, name, n, q):
        self.reply(200, b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
                        b"<center><h1>503 Service Temporarily Unavailable</h1></center><hr>"
                        b"<center>nginx</center></body></html>\n", "text/html")

    def f_wrongct(self, name, n, q):
        self.reply(200, xml(b"wrongct", [item(b"%s-new-%d" % (name, i)) for i in range(3)]),
                   "application/octet-stream")

    # --- hostile documents
    def f_laughs(self, name, n, q):
        ents = b'<!ENTITY lol0 "lollollollollollollollollollol">\n' + b"".join(
            b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
        self.reply(200, xml(b"&lol9;", [item(b"%s-bad-%d" % (name, i)) for i in range(3)],
                            head=b"<!DOCTYPE rss [\n" + ents + b"]>\n"))

    def f_xxe(self, name, n, q):
        port = self.server.server_address[1]
        head = (b'<!DOCTYPE rss [\n<!ENTITY file SYSTEM "file://%s">\n'
                b'<!ENTITY web SYSTEM "http://127.0.0.1:%d/xxe-probe">\n'
                b'<!ENTITY %% pe SYSTEM "http://127.0.0.1:%d/xxe-probe">\n%%pe;\n]>\n'
                % (secret.encode(), port, port))
        items = [item(b"%s-x-0" % name, title=b"file &file; end"),
                 item(b"%s-x-1" % name, title=b"web &web; end")]
        self.reply(200, xml(b"xxe &file;", items, head=head))

    def f_deep(self, name, n, q):
        depth = 100000
        nest = b"<x>" * depth + b"deep" + b"</x>" * depth
        self.reply(200, xml(b"deep", [item(name + b"-new-0"), nest, item(name + b"-new-1")]))

    def f_many(self, name, n, q):
        self.reply(200, xml(b"many", [b"<item><title>m%d</title><guid>%s-m-%d</guid></item>\n" % (i, name, i)
                                      for i in range(100000)]))

    def f_bigtitle(self, name, n, q):
        t = b"T" * 10000000
        self.reply(200, xml(b"bigtitle", [item(name + b"-new-0", title=t), item(name + b"-new-1")]))

    def f_badutf8(self, name, n, q):
        bad = b"caf\xe9 \xff\xfe \xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80"
        items = [item(b"%s-u-%d" % (name, i), title=b"t" + bad, link=b"http://example.org/" + bad,
                      desc=b"d" + bad) for i in range(3)]
        self.reply(200, xml(b"utf8 " + bad, items))

    def f_churn(self, name, n, q):
        self.reply(200, xml(b"churn", [item(b"%s-c%d-%d" % (name, n, i), title=b"churn %d" % i,
                                            link=b"http://example.org/%s/%d" % (name, i))
                                       for i in range(3)]))

    def f_dupguid(self, name, n, q):
        self.reply(200, xml(b"dupguid", [item(name + b"-dup", title=b"dup %d" % i,
                                              link=b"http://example.org/%s/dup%d" % (name, i))
                                         for i in range(5)]))

    def f_future(self, name, n, q):
        self.reply(200, xml(b"future", [item(name + b"-new-0", date=b"Fri, 31 Dec 9999 23:59:59 GMT"),
                                        item(name + b"-new-1", date=b"Sat, 01 Jan 2999 00:00:00 GMT")]))


class TLSServer(httpd.Server):
    """HTTPS: the handshake runs in the request's thread."""
    ctx = None

    def finish_request(self, request, client_address):
        try:
            request = self.ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            with httpd.lock:
                fstate["tls_fail"] += 1
            return
        with httpd.lock:
            fstate["tls_ok"] += 1
        super().finish_request(request, client_address)


def main():
    global secret
    ap = argparse.ArgumentParser(description="fault-injecting HTTP/HTTPS test server")
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--tls", help="CERT,KEY: serve HTTPS too, on another port")
    ap.add_argument("--secret", default="/nonexistent", help="the file the xxe fault names")
    ap.add_argument("--feeds", type=int, default=0)
    ap.add_argument("-v", "--verbose", action="store_true")
    o = ap.parse_args()
    secret = o.secret
    httpd.opts = argparse.Namespace(port=0, items=5, feeds=o.feeds, verbose=o.verbose)
    httpd.Handler = Handler
    servers = httpd.listen([a for a in o.addr.split(",") if a], 0)
    for s in servers:
        s.RequestHandlerClass = Handler
    ports = [servers[0].server_address[1]]
    if o.tls:
        cert, key = o.tls.split(",")
        TLSServer.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        TLSServer.ctx.load_cert_chain(cert, key)
        t = TLSServer(("127.0.0.1", 0), Handler)
        servers.append(t)
        ports.append(t.server_address[1])
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: httpd.stop.set())
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
               for s in servers]
    for t in threads:
        t.start()
    print("\n".join(str(p) for p in ports), flush=True)
    while not httpd.stop.wait(0.2):
        pass
    for s in servers:
        s.shutdown()
        s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
