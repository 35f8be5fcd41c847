#!/usr/bin/python3
"""gen_feeds.py: write N static RSS 2.0 feeds for bench/poll.

    python3 bench/poll/gen_feeds.py [--seed S] [--items 20] N DIR

Writes DIR/f0.xml .. DIR/f{N-1}.xml, each an RSS 2.0 feed of 20 items of
about 1 KB (title, link, guid, pubDate, dc:creator, escaped-HTML
description, 1-3 categories), about 20 KB a feed, like a blog's or a news
site's summary feed.  Deterministic for a given seed and N: the same bytes
every run (so nginx's ETag and Last-Modified are the only thing that
changes between runs, and only if the files are rewritten).
"""
import argparse
import datetime
import os
import random

WORDS = (
    "the of and to in is that for it as with was on be by this are or from at an but not "
    "have has which one all were can their there more will would about if out up what so "
    "feed parser stream memory buffer kernel release server network daemon cache index "
    "query latency throughput benchmark compiler library function pointer allocation "
    "encoding charset unicode protocol request response header cookie session token "
    "design review patch commit branch merge upstream package distribution stable "
    "security advisory vulnerability update fix regression performance improvement "
    "article weekly digest interview podcast episode season guest community project "
    "city council budget election weather forecast market report analysis opinion "
    "café naïve résumé Zürich São Paulo — “quoted” … € 東京 Москва"
).split()
TAGS = ("Linux", "Security", "Programming", "C", "Python", "Rust", "Databases",
        "Networking", "Politics", "Science", "Climate", "Music", "Books",
        "Open Source", "Releases", "Tutorials", "News &amp; Events", "Hardware", "Web")
AUTHORS = ("Jane Doe", "John Smith", "Zoë Müller", "Łukasz Kowalski", "Ana García",
           "Dmitri Ivanov", "Mei Chen", "The Editors", "Sam O'Neil")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
          "Nov", "Dec")
BASE = datetime.datetime(2026, 11, 1, 12, 0, 0)


def rfc822(t):
    return "%s, %02d %s %d %02d:%02d:%02d +0000" % (
        DAYS[t.weekday()], t.day, MONTHS[t.month - 1], t.year, t.hour, t.minute, t.second)


def words(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraph(r, site):
    s = words(r, r.randint(20, 37))
    if r.random() < 0.5:
        s += ' <a href="https://%s/ref/%d">%s</a>' % (site, r.randint(1, 99999), words(r, 3))
    if r.random() < 0.3:
        s += " <em>%s</em>" % words(r, 4)
    return "<p>" + s.capitalize() + ".</p>"


def feed(i, r, nitems):
    site = "site%d.example.org" % i
    out = []
    w = out.append
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n')
    w("<title>%s %d</title>\n" % (esc(words(r, 3).title()), i))
    w("<link>https://%s/</link>\n" % site)
    w('<atom:link href="https://%s/feed.xml" rel="self" type="application/rss+xml"/>\n' % site)
    w("<description>%s</description>\n" % esc(words(r, 12)))
    w("<language>en</language>\n<generator>bench/poll/gen_feeds.py</generator>\n")
    t = BASE - datetime.timedelta(minutes=r.randint(0, 600))
    w("<lastBuildDate>%s</lastBuildDate>\n" % rfc822(t))
    for j in range(nitems):
        t -= datetime.timedelta(minutes=r.randint(30, 3000))
        slug = "-".join(r.choice(WORDS[:60]) for _ in range(4))
        link = "https://%s/%d/%02d/%s-%d" % (site, t.year, t.month, slug, j)
        w("<item>\n")
        w("<title>%s</title>\n" % esc(words(r, r.randint(5, 11)).capitalize()))
        w("<link>%s</link>\n" % link)
        if r.random() < 0.5:
            w('<guid isPermaLink="false">%s-item-%d-%d</guid>\n' % (site, i, j))
        else:
            w("<guid>%s</guid>\n" % link)
        w("<pubDate>%s</pubDate>\n" % rfc822(t))
        w("<dc:creator>%s</dc:creator>\n" % esc(r.choice(AUTHORS)))
        for c in r.sample(TAGS, r.randint(1, 3)):
            w("<category>%s</category>\n" % c)
        html = "".join(paragraph(r, site) for _ in range(r.randint(2, 3)))
        w("<description>%s</description>\n" % esc(html))
        w("</item>\n")
    w("</channel>\n</rss>\n")
    return "".join(out).encode("utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    total = 0
    for i in range(a.n):
        r = random.Random(a.seed * 1000003 + i)
        data = feed(i, r, a.items)
        total += len(data)
        with open(os.path.join(a.dir, "f%d.xml" % i), "wb") as f:
            f.write(data)
    print("%d feeds, %d bytes (%.1f KB a feed)" % (a.n, total, total / a.n / 1000.0))


if __name__ == "__main__":
    main()
