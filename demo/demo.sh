#!/bin/sh
# make demo: the whole job offline.  Serves the bundled sample feeds from a
# local web server on 127.0.0.1, runs gleanerd --once against them with a
# throwaway database, then prints `glean feeds` and one article as
# extracted from its web page (demo/www/posts/).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/www"
for f in demo/www/*.xml demo/www/posts/*.html; do
	mkdir -p "$tmp/$(dirname "${f#demo/}")"
	sed "s/PORT/$port/g" "$f" > "$tmp/${f#demo/}"
done
python3 -m http.server "$port" --bind 127.0.0.1 -d "$tmp/www" >/dev/null 2>&1 &
pid=$!
cat > "$tmp/gleaner.conf" <<CONF
[gleaner]
database = $tmp/demo.db
# the demo server is on 127.0.0.1
allow_private_addresses = yes
# fetch each item's page and extract its article
full_text = yes
article_host_delay = 0

[feed "Example"]
url = http://127.0.0.1:$port/example.xml
tags = demo
# its items link to example.org, which the offline demo cannot reach
full_text = no

[feed "Atom blog"]
url = http://127.0.0.1:$port/atom.xml
tags = demo, blogs
CONF
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/atom.xml')" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "demo: the local web server did not start"; exit 1; }; sleep 0.1
done
echo "== gleanerd --once"
bin/gleanerd -c "$tmp/gleaner.conf" -f --once
echo; echo "== glean feeds"
bin/glean --db "$tmp/demo.db" feeds
echo; echo "== glean items"
bin/glean --db "$tmp/demo.db" items
id=$(bin/glean --db "$tmp/demo.db" items --jsonl | python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin if "terminal" in l][0]["id"])')
echo; echo "== glean show $id (the article extracted from its page)"
bin/glean --db "$tmp/demo.db" show --keep-unread "$id"
