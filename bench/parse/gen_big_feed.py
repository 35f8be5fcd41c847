#!/usr/bin/python3
"""gen_big_feed.py: write a large synthetic but realistic RSS 2.0 feed.

    python3 bench/parse/gen_big_feed.py [--seed N] SIZE OUT

SIZE is in bytes, with an optional k/M suffix (10^3, 10^6): the feed is
written item by item until it reaches SIZE, then closed, so it ends up a few
KB over.  The output is deterministic for a given seed and size.

Each item looks like what blogs and news sites publish: title (with the odd
&amp; and non-ASCII character), link, guid (isPermaLink="false" on some),
pubDate (RFC 822, going back in time), dc:creator, a description of escaped
HTML, content:encoded as CDATA (paragraphs, links, images, lists, code,
blockquotes), 1-4 categories, a comments link and, on most items, an
enclosure.
"""
import argparse
import datetime
import random
import sys

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
    "café naïve résumé Zürich São Paulo — “quoted” ‘single’ … € £ ¥ 東京 Москва"
).split()
TAGS = ("Linux", "Security", "Programming", "C", "Python", "Rust", "Databases", "Networking",
        "Politics", "Science", "Climate", "Music", "Books", "Podcasts", "Open Source",
        "Releases", "Tutorials", "News & Events", "Hardware", "Web")
AUTHORS = ("Jane Doe", "John Smith", "Zoë Müller", "Łukasz Kowalski", "Ana García",
           "Dmitri Ivanov", "Mei Chen", "editor@example.org (The Editors)", "Sam O'Neil")
MEDIA = (("audio/mpeg", "mp3"), ("audio/mp4", "m4a"), ("video/mp4", "mp4"),
         ("image/jpeg", "jpg"), ("application/pdf", "pdf"))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def size_arg(s):
    mult = {"k": 10**3, "K": 10**3, "m": 10**6, "M": 10**6}.get(s[-1:], 1)
    return int(float(s[:-1] if mult > 1 else s) * mult)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def words(self, lo, hi):
        return " ".join(self.r.choice(WORDS) for _ in range(self.r.randint(lo, hi)))

    def sentence(self):
        s = self.words(6, 22)
        return s[:1].upper() + s[1:] + self.r.choice((".", ".", ".", "?", "!"))

    def para_html(self, n):
        r = self.r
        parts = []
        for _ in range(n):
            s = self.sentence()
            k = r.random()
            if k < 0.25:
                w = s.split(" ", 3)
                s = (f'{" ".join(w[:2])} <a href="https://example.com/{r.randint(1, 99999)}'
                     f'?ref=feed&amp;utm_source=rss">{w[2] if len(w) > 2 else "link"}</a> '
                     f'{w[3] if len(w) > 3 else ""}')
            elif k < 0.35:
                s = f"<strong>{s}</strong>"
            elif k < 0.45:
                s = s.replace(" ", " <em>", 1) + "</em>"
            parts.append(s)
        return "<p>" + " ".join(parts) + "</p>"

    def content(self):
        r = self.r
        out = []
        for _ in range(r.randint(3, 12)):
            k = r.random()
            if k < 0.65:
                out.append(self.para_html(r.randint(2, 6)))
            elif k < 0.75:
                out.append(f'<figure><img src="/images/{r.randint(1, 9999)}.jpg" '
                           f'alt="{esc(self.words(2, 6))}" width="800" height="450" '
                           f'loading="lazy"/><figcaption>{self.sentence()}</figcaption></figure>')
            elif k < 0.85:
                items = "".join(f"<li>{self.words(3, 10)}</li>" for _ in range(r.randint(2, 6)))
                out.append(f"<ul>{items}</ul>")
            elif k < 0.93:
                code = "\n".join(f"    if (n &lt; {r.randint(1, 99)} &amp;&amp; p != NULL) "
                                 f"return f(p, &quot;{r.choice(WORDS)}&quot;);"
                                 for _ in range(r.randint(2, 8)))
                out.append(f'<pre><code class="language-c">{code}</code></pre>')
            else:
                out.append(f"<blockquote><p>{self.sentence()}</p></blockquote>")
        return "\n".join(out)

    def item(self, i, when):
        r = self.r
        slug = "-".join(w for w in self.words(3, 7).split() if w.isascii() and w.isalpha())
        title = self.words(4, 12)
        title = title[:1].upper() + title[1:]
        if r.random() < 0.15:
            title += " & " + self.words(1, 3)
        link = f"https://blog.example.org/{when:%Y/%m}/{slug or 'post'}-{i}/"
        if r.random() < 0.7:
            guid = f"<guid>{link}</guid>"
        else:
            guid = f'<guid isPermaLink="false">tag:blog.example.org,{when:%Y}:post-{i}</guid>'
        desc = self.para_html(r.randint(1, 3))
        cats = "".join(f"<category>{esc(c)}</category>"
                       for c in r.sample(TAGS, r.randint(1, 4)))
        enc = ""
        if r.random() < 0.8:
            mime, ext = r.choice(MEDIA)
            enc = (f'<enclosure url="https://cdn.example.org/media/{i}.{ext}" '
                   f'length="{r.randint(10**5, 10**8)}" type="{mime}"/>')
        return (
            "<item>\n"
            f"  <title>{esc(title)}</title>\n"
            f"  <link>{link}</link>\n"
            f"  {guid}\n"
            f"  <pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
            f"  <dc:creator>{esc(r.choice(AUTHORS))}</dc:creator>\n"
            f"  <description>{esc(desc)}</description>\n"
            f"  <content:encoded><![CDATA[{self.content()}]]></content:encoded>\n"
            f"  {cats}\n"
            f"  <comments>{link}#comments</comments>\n"
            f"  {enc}\n"
            "</item>\n"
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("size", type=size_arg, help="bytes, with optional k or M suffix")
    ap.add_argument("out")
    a = ap.parse_args()

    g = Gen(a.seed)
    when = datetime.datetime(2024, 6, 30, 18, 0, 0)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '     xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '     xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "<channel>\n"
        "  <title>Example Engineering Blog &amp; News</title>\n"
        "  <link>https://blog.example.org/</link>\n"
        '  <atom:link href="https://blog.example.org/feed.xml" rel="self" '
        'type="application/rss+xml"/>\n'
        "  <description>A synthetic feed for benchmarks (gen_big_feed.py).</description>\n"
        "  <language>en-us</language>\n"
        "  <generator>gen_big_feed.py</generator>\n"
        "  <ttl>60</ttl>\n"
    )
    tail = "</channel>\n</rss>\n"
    n = 0
    items = 0
    with open(a.out, "w", encoding="utf-8", newline="\n") as fp:
        fp.write(head)
        n += len(head.encode())
        while n < a.size:
            s = g.item(items, when)
            fp.write(s)
            n += len(s.encode())
            items += 1
            when -= datetime.timedelta(minutes=g.r.randint(7, 600), seconds=g.r.randint(0, 59))
        fp.write(tail)
        n += len(tail)
    print(f"gen_big_feed: {a.out}: {n} bytes, {items} items (seed {a.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
