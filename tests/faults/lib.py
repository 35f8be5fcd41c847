"""Shared pieces of the fault and crash suites (tests/faults/*.py).

A Suite prints "ok NAME" / "FAIL NAME" per check and ends with one line
"NAME: N passed, N failed", which tests/run-tests.sh tallies.  Every process
started here is ended (by its own pid) when the suite exits.
"""
import json, os, signal, sqlite3, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
VERBOSE = bool(os.environ.get("VERBOSE"))
# GLEANER_TEST_SLOW=N (default 1): every time limit times N, for gleanerd
# and glean under valgrind (make valgrind); what is checked stays the same.
try:
    SLOW = max(1, int(os.environ.get("GLEANER_TEST_SLOW") or 1))
except ValueError:
    SLOW = 1
# Set by tests/run-valgrind.sh: the programs run under memcheck, so a
# process's resident memory is valgrind's, not theirs.
VALGRIND = bool(os.environ.get("GLEANER_TEST_VALGRIND"))
os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")


class Suite:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0
        self.procs = []
        self.tmp = tempfile.mkdtemp(prefix="gleaner-%s." % name, dir=os.environ.get("TMPDIR"))
        self.cleanups = []
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda *_: sys.exit(130))

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print("ok   " + name)
            if VERBOSE and detail:
                print("     " + str(detail)[:2000])
        else:
            self.failed += 1
            print("FAIL " + name)
            if detail:
                print("     " + str(detail)[:2000])
        sys.stdout.flush()
        return cond

    def note(self, msg):
        print("# note: " + msg)
        sys.stdout.flush()

    def spawn(self, argv, name, **kw):
        out = open(os.path.join(self.tmp, name + ".out"), "w")
        err = open(os.path.join(self.tmp, name + ".err"), "w")
        p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, **kw)
        p.errfile = err.name
        p.outfile = out.name
        self.procs.append(p)
        return p

    def stop(self, p, grace=8.0):
        """SIGTERM, then SIGKILL after grace (times SLOW) seconds; returns (rc, seconds)."""
        t = time.time()
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(grace * SLOW)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        return p.returncode, time.time() - t

    def finish(self):
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:  # keep cleaning up
                print("# cleanup: %s" % e)
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if not os.environ.get("KEEP"):
            subprocess.run(["rm", "-rf", self.tmp])
        else:
            print("# kept " + self.tmp)
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        sys.stdout.flush()
        return 0 if self.failed == 0 else 1


def until(seconds, fn, step=0.1):
    """Polls fn until it returns true, for seconds (times SLOW)."""
    end = time.time() + seconds * SLOW
    while True:
        try:
            r = fn()
        except (sqlite3.Error, OSError, ValueError, KeyError):
            r = None
        if r:
            return r
        if time.time() >= end:
            return r
        time.sleep(step)


def alive(p):
    return p.poll() is None


def status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def fd_count(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


def db(path):
    c = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
    c.text_factory = bytes
    return c


def q(path, sql, args=()):
    c = db(path)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


def glean_feeds(glean, dbpath):
    """`glean feeds --json` by title; raises ValueError if glean fails."""
    r = subprocess.run([glean, "--db", dbpath, "feeds", "--json"], capture_output=True, text=True,
                       timeout=60 * SLOW)
    if r.returncode != 0:
        raise ValueError("glean feeds --json: exit %d: %s" % (r.returncode, r.stderr.strip()[:300]))
    return {f["title"]: f for f in json.loads(r.stdout)}


def glean_items(glean, dbpath, feed=None):
    argv = [glean, "--db", dbpath, "items", "--json"] + (["--feed", feed] if feed else [])
    r = subprocess.run(argv, capture_output=True, text=True, timeout=120 * SLOW)
    if r.returncode != 0:
        raise ValueError("glean items --json: exit %d: %s" % (r.returncode, r.stderr.strip()[:300]))
    return json.loads(r.stdout)


def sanitizer_report(path):
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return ""
    lines = [l for l in text.splitlines()
             if "Sanitizer" in l or "runtime error:" in l or l.startswith("SUMMARY")]
    return "\n".join(lines[:4])


def tail(path, n=5):
    try:
        return "\n".join(open(path, errors="replace").read().splitlines()[-n:])
    except OSError:
        return ""


def public_addr():
    """A local address that gleanerd does not count as private, or None."""
    import ipaddress
    env = os.environ.get("GLEANER_TEST_PUBLIC_ADDR")
    if env:
        return None if env == "none" else env
    nets = [ipaddress.ip_network(n) for n in ("0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8",
            "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "224.0.0.0/4",
            "240.0.0.0/4")]  # addr_is_private() in daemon/fetch.c
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout
    except OSError:
        return None
    for a in out.split():
        try:
            ip = ipaddress.ip_address(a)
        except ValueError:
            continue
        if ip.version == 4 and not any(ip in n for n in nets):
            return a
    return None


def start_server(suite, addrs, extra=(), name="faultd"):
    """faultd.py on addrs; returns (proc, http_port, https_port or None)."""
    p = suite.spawn([sys.executable, os.path.join(HERE, "faultd.py"), "--addr", ",".join(addrs)] +
                    list(extra), name)
    ports = until(15, lambda: open(p.outfile).read().split() if len(
        open(p.outfile).read().split()) >= (2 if "--tls" in extra else 1) else None)
    if not ports:
        raise SystemExit("faultd.py did not start: " + tail(p.errfile))
    return p, int(ports[0]), int(ports[1]) if len(ports) > 1 else None


def config(suite, name, feeds, **kw):
    """Writes NAME.conf; feeds: [(name, url, {key: value})].  Returns (conf, db)."""
    g = {"database": os.path.join(suite.tmp, name + ".db"),
         "control_socket": os.path.join(suite.tmp, name + ".sock"),
         "interval": "2s", "min_interval": "1s", "max_interval": "1h", "timeout": "3s",
         "connect_timeout": "2s", "max_body": "12M", "max_connections": "64",
         "max_host_connections": "8", "full_text": "no", "allow_private_addresses": "yes",
         "log_level": "info", "user_agent": "Gleaner-faults/1"}
    g.update(kw)
    lines = ["# written by tests/faults", "[gleaner]"] + ["%s = %s" % kv for kv in g.items()]
    for fname, url, extra in feeds:
        lines += ["", '[feed "%s"]' % fname, "url = " + url] + ["%s = %s" % kv for kv in extra.items()]
    path = os.path.join(suite.tmp, name + ".conf")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path, g["database"]


def http_json(port, path, host="127.0.0.1"):
    import urllib.request
    with urllib.request.urlopen("http://%s:%d%s" % (host, port, path), timeout=10) as r:
        return json.loads(r.read())


def http_get(port, path):
    import urllib.request
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as r:
        return r.read()
