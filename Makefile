# Gleaner build.  `make` builds bin/gleanerd and bin/glean; `make test` runs the
# unit and integration tests under AddressSanitizer and UBSan.
VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
SBINDIR   = $(PREFIX)/sbin
MANDIR    = $(PREFIX)/share/man

CC       ?= cc
PKGS      = libcurl expat sqlite3 libxml-2.0 inih libsystemd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Debian's libev ships no .pc file.
EV_LIBS   := $(shell pkg-config --libs libev 2>/dev/null || echo -lev)

WERROR   ?= $(if $(CI),-Werror,)
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter $(WERROR)
CPPFLAGS += -D_GNU_SOURCE -DGLEANER_VERSION='"$(VERSION)"' -Ilib $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm

SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

LIB_SRC   = $(sort $(wildcard lib/*.c))
CLI_SRC   = $(sort $(wildcard cli/*.c))
DAEMON_SRC = $(sort $(wildcard daemon/*.c))
UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz_*.c))

B = build
LIB_OBJ      = $(LIB_SRC:%.c=$(B)/rel/%.o)
LIB_OBJ_SAN  = $(LIB_SRC:%.c=$(B)/san/%.o)
UNIT_BIN     = $(UNIT_SRC:tests/unit/%.c=$(B)/san/tests/%)
FUZZ_BIN     = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)
REPLAY_BIN   = $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(B)/san/fuzz/replay_%)
empty :=
space := $(empty) $(empty)

PROGS = bin/glean $(if $(DAEMON_SRC),bin/gleanerd,)

.PHONY: all deps test test-run unit integration valgrind fuzz lint install clean bench bench-extract format example run demo
all: $(PROGS)

# Every object depends on every header: a struct that changes in
# daemon/gleanerd.h or lib/store_int.h must not leave stale objects.
HDRS = $(wildcard lib/*.h cli/*.h daemon/*.h)

$(B)/rel/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/san/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(filter-out -O2,$(CFLAGS)) $(SAN_FLAGS) -c -o $@ $<

$(B)/libgleaner.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^
$(B)/libgleaner-san.a: $(LIB_OBJ_SAN)
	rm -f $@ && $(AR) rcs $@ $^

bin/glean: $(CLI_SRC:%.c=$(B)/rel/%.o) $(B)/libgleaner.a
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
bin/gleanerd: $(DAEMON_SRC:%.c=$(B)/rel/%.o) $(B)/libgleaner.a
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(EV_LIBS)

# Sanitizer builds of the programs, used by the integration tests.
$(B)/san/bin/glean: $(CLI_SRC:%.c=$(B)/san/%.o) $(B)/libgleaner-san.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

$(B)/san/bin/gleanerd: $(DAEMON_SRC:%.c=$(B)/san/%.o) $(B)/libgleaner-san.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS) $(EV_LIBS)

$(B)/san/tests/%: tests/unit/%.c $(B)/libgleaner-san.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(filter-out -O2,$(CFLAGS)) $(SAN_FLAGS) -o $@ $< \
	    $(B)/libgleaner-san.a $(LDLIBS) $$(pkg-config --libs cmocka)

## deps: install the Debian packages needed to build, test and benchmark (idempotent).
DEB_PKGS = build-essential pkg-config clang libclang-rt-14-dev \
           libcurl4-openssl-dev libexpat1-dev libev-dev libsqlite3-dev libxml2-dev \
           libinih-dev libsystemd-dev libcmocka-dev \
           python3 python3-feedparser sfeed sqlite3 valgrind cppcheck clang-tidy curl openssl
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all packages present"; exit 0; fi; \
	echo "deps: installing$$(echo $$missing | sed 's/^/ /')"; \
	SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing

## test: unit tests, then the corpus comparison and CLI integration tests, all under ASan/UBSan.
export ASAN_OPTIONS = detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
test: deps
	@$(MAKE) --no-print-directory test-run

test-run: $(UNIT_BIN) $(REPLAY_BIN) $(B)/san/bin/glean $(B)/san/bin/gleanerd bin/gleanerd bin/glean
	@sh tests/run-tests.sh --unit $(UNIT_BIN) --integration $(B)/san/bin/glean \
	    --suite tests/fuzz/replay.sh:$(subst $(space),:,$(REPLAY_BIN)) \
	    --suite tests/store/run.sh \
	    --suite tests/integration/daemon.sh:$(B)/san/bin/gleanerd:$(B)/san/bin/glean \
	    --suite tests/integration/daemon.sh:bin/gleanerd:bin/glean \
	    --suite tests/integration/articles.sh:$(B)/san/bin/gleanerd:$(B)/san/bin/glean \
	    --suite tests/faults/run.sh:$(B)/san/bin/gleanerd:$(B)/san/bin/glean:bin/gleanerd \
	    --suite tests/faults/storage.sh:$(B)/san/bin/gleanerd:$(B)/san/bin/glean \
	    --suite tests/faults/crash.sh:$(B)/san/bin/gleanerd:$(B)/san/bin/glean

unit: $(UNIT_BIN)
	@sh tests/run-tests.sh --unit $(UNIT_BIN)

integration: $(B)/san/bin/glean
	@sh tests/run-tests.sh --integration $(B)/san/bin/glean

valgrind: bin/glean bin/gleanerd $(UNIT_SRC:tests/unit/%.c=$(B)/vg/%)
	@sh tests/run-valgrind.sh bin/glean bin/gleanerd $(UNIT_SRC:tests/unit/%.c=$(B)/vg/%)

$(B)/vg/%: tests/unit/%.c $(B)/libgleaner.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< $(B)/libgleaner.a $(LDLIBS) $$(pkg-config --libs cmocka)

# The fuzz harnesses without libFuzzer (gcc, the sanitizer library):
# `make test` replays the kept fuzz inputs through them (tests/fuzz/replay.sh).
$(B)/san/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(B)/libgleaner-san.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(filter-out -O2,$(CFLAGS)) $(SAN_FLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(B)/libgleaner-san.a $(LDLIBS)

## fuzz: build the libFuzzer harnesses with clang and run each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
$(B)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) lib/gleaner.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(LDLIBS)
fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# .ci/libxml2.cfg tells cppcheck which libxml2 results need which free
# (it ships no libxml2 library), so leaks on those paths are lint errors.
lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --library=.ci/libxml2.cfg --inline-suppr --suppress=missingIncludeSystem -D_GNU_SOURCE -Ilib lib cli $(wildcard daemon)
	clang-tidy --quiet $(LIB_SRC) $(CLI_SRC) $(DAEMON_SRC) -- $(CPPFLAGS) -std=c11

format:
	clang-format -i lib/*.[ch] cli/*.c $(wildcard daemon/*.[ch]) tests/unit/*.[ch] tests/fuzz/*.c

## example: read the bundled example feed.
example: bin/glean
	bin/glean parse --format summary config/example-feed.xml

## demo: the whole job offline, against a local web server.
demo: deps
	@$(MAKE) --no-print-directory all
	@sh demo/demo.sh

## run: gleanerd in the foreground on config/gleaner.conf (database under var/).
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	bin/gleanerd -c config/gleaner.conf -f

bench: bin/glean build/libgleaner.a
	@sh bench/parse/run.sh

## bench-extract: article extraction beside Readability.js and readability-lxml (installs them).
bench-extract: bin/glean
	@sh bench/extract/run.sh

SYSTEMDDIR ?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d
SYSCONFDIR ?= /etc
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSCONFDIR)/gleaner \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 bin/glean $(DESTDIR)$(BINDIR)/glean
	install -m 755 bin/gleanerd $(DESTDIR)$(SBINDIR)/gleanerd
	install -m 644 man/glean.1 $(DESTDIR)$(MANDIR)/man1/glean.1
	install -m 644 man/gleaner.conf.5 $(DESTDIR)$(MANDIR)/man5/gleaner.conf.5
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 644 man/gleanerd.8 $(DESTDIR)$(MANDIR)/man8/gleanerd.8
	install -m 644 systemd/gleanerd.service $(DESTDIR)$(SYSTEMDDIR)/gleanerd.service
	install -m 644 systemd/gleaner.sysusers $(DESTDIR)$(SYSUSERSDIR)/gleaner.conf
	install -m 644 systemd/gleaner.tmpfiles $(DESTDIR)$(TMPFILESDIR)/gleaner.conf
	[ -f $(DESTDIR)$(SYSCONFDIR)/gleaner/gleaner.conf ] || \
	    sed -e 's|^database = .*|database = /var/lib/gleaner/gleaner.db|' \
	        -e 's|^control_socket = .*|control_socket = /run/gleaner/control.sock|' \
	        config/gleaner.conf > $(DESTDIR)$(SYSCONFDIR)/gleaner/gleaner.conf
	[ ! -f contrib/bash-completion/glean ] || install -m 644 contrib/bash-completion/glean \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/glean

clean:
	rm -rf $(B) bin
