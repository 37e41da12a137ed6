# SPDX-License-Identifier: Apache-2.0
# leaky: one Makefile for build, test, bench, demo, fuzz and install.
#   make                      build ./leaky (installs Debian deps if missing)
#   make test                 unit tests, then CLI tests
#   make SANITIZE=address,undefined test
#   make demo | bench | man | completion | systemd | deb
#   make install | uninstall  PREFIX=/usr/local DESTDIR= (BINDIR, MANDIR,
#                             SYSCONFDIR, BASHCOMPDIR, UNITDIR: see below)
#   make fuzz FUZZ_TIME=600   libFuzzer, each target FUZZ_TIME seconds
#   make fuzz-smoke           each target FUZZ_SMOKE_TIME seconds (CI)
#   make fuzz-replay          regressions and seeds, standalone under ASan
#   make fuzz-afl             the same targets for AFL++ (afl-clang-fast)
#   make test-valgrind        unit and CLI tests under valgrind

# Install paths. SYSCONFDIR is $(PREFIX)/etc, but /etc for PREFIX=/usr as
# Debian has it; the binary is compiled to look there (LEAKY_SYSCONFDIR).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= $(if $(filter /usr /usr/,$(PREFIX)),/etc,$(PREFIX)/etc)
CC ?= cc
GO ?= go

ifeq ($(origin CC),default)
CC = cc
endif

BUILD := build
comma := ,
ifneq ($(SANITIZE),)
BUILD := build/san
# ThreadSanitizer's objects cannot be linked with ASan's (the fuzz replays
# link build/san's archive): a folder of their own.
ifneq ($(filter thread,$(subst $(comma), ,$(SANITIZE))),)
BUILD := build/tsan
endif
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
# The CLI tests' time limits and waits scale by this (tests/cli/test-lib.sh):
# sanitized binaries run about twice as slowly, and exit later (the leak
# check), on a machine that may be busy.
LEAKY_TEST_SLOW ?= 2
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

# Build steps print nothing unless they warn or fail (scripts/quiet.sh);
# V=1 prints every command line.
ifeq ($(V),1)
Q :=
else
Q := @sh scripts/quiet.sh
endif

OPT ?= -O2 -g
# Evaluated only in recipes, after the dependency stamp has installed them.
PKG_CFLAGS = $(shell pkg-config --cflags libprotobuf-c zlib libcurl libconfig \
	jansson libmicrohttpd yaml-0.1)
PKG_LIBS = $(shell pkg-config --libs libprotobuf-c zlib libcurl libconfig \
	jansson libmicrohttpd yaml-0.1) \
	-lcsv -lm
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

# The version: VERSION, and `git describe` when built from leaky's own
# checkout (not from a tarball inside some other repository); a bare hash
# gets git's "g" prefix, as describe gives it after a tag. The stamp file
# changes only when the version does, so leaky.o rebuilds only then.
VERSION_FILE := $(BUILD)/VERSION-FILE
GIT_VERSION := $(shell [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = \
	"$(CURDIR)" ] && git describe --always --dirty 2>/dev/null | \
	sed 's/^[0-9a-f]*\(-dirty\)\{0,1\}$$/g&/')
LEAKY_VERSION := $(shell cat VERSION)$(if $(GIT_VERSION), ($(GIT_VERSION)))
# The man pages' date: the last commit's (the same pages from the same
# source), else VERSION's mtime; SOURCE_DATE_EPOCH, when set, wins.
MAN_DATE := $(or $(SOURCE_DATE_EPOCH),$(if $(GIT_VERSION),$(shell \
	git log -1 --format=%ct 2>/dev/null)),$(shell stat -c %Y VERSION))

CPPFLAGS_ALL = -Iinclude -I$(BUILD)/gen -D_GNU_SOURCE \
	-DLEAKY_SYSCONFDIR='"$(SYSCONFDIR)"' $(CPPFLAGS)
CFLAGS_ALL = -std=c11 $(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

DEPS_STAMP := build/.deps-ok
GEN := $(BUILD)/gen/proto/profile.pb-c.c
GEN_H := $(GEN:.c=.h)

# The engine: every module of the stage folders, archived, so that unit
# tests and fuzz targets link only what they use. The commands (src/cmd/)
# and main (src/leaky.c) link into the binary whole; the unit tests of the
# command layer's own modules (option tables) take them from a second
# archive, whose basenames may repeat the engine's.
STAGES := base decode model analyze report collect load out fleet soak
ENGINE_SRCS := $(foreach d,$(STAGES),$(wildcard src/$(d)/*.c))
CMD_SRCS := $(wildcard src/cmd/*.c)
LIB_OBJS := $(ENGINE_SRCS:src/%.c=$(BUILD)/obj/%.o) \
	$(BUILD)/obj/gen/profile.pb-c.o
CMD_OBJS := $(CMD_SRCS:src/%.c=$(BUILD)/obj/%.o)
CMD_LIB := $(BUILD)/libleakycmd.a
MAIN_OBJS := $(BUILD)/obj/leaky.o $(CMD_OBJS)
LIB := $(BUILD)/libleaky.a
BIN := $(BUILD)/leaky

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

export GOCACHE ?= $(CURDIR)/build/go-cache
export GOFLAGS ?= -trimpath
export GO111MODULE ?= on
export GOTOOLCHAIN ?= local
LAB := build/lab

.PHONY: all deps test unit-test cli-test demo bench install uninstall \
	clean fixtures lab oracle fakeprom man completion systemd deb
.DELETE_ON_ERROR:

all: $(BIN) leaky

deps: $(DEPS_STAMP)
# A package build has its Build-Depends instead: LEAKY_NO_DEPS=1.
ifeq ($(LEAKY_NO_DEPS),1)
$(DEPS_STAMP):
	@mkdir -p $(@D) && touch $@
else
$(DEPS_STAMP): scripts/install-deps.sh
	sh scripts/install-deps.sh
	@mkdir -p $(@D) && touch $@
endif

leaky: $(BIN)
	@if [ "$(BUILD)" = build ]; then ln -sf $(BIN) $@; fi

$(GEN): proto/profile.proto | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/gen
	$(Q) protoc-c --c_out=$(BUILD)/gen $<
$(GEN_H): $(GEN)

$(BUILD)/obj/gen/profile.pb-c.o: $(GEN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q) $(CC) $(CPPFLAGS_ALL) -std=c11 $(OPT) $(SANFLAGS) $(PKG_CFLAGS) \
		$(CFLAGS) -c -o $@ $<

$(VERSION_FILE): FORCE
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(LEAKY_VERSION)' ]; then \
		echo '$(LEAKY_VERSION)' >$@; fi
.PHONY: FORCE
FORCE:

$(BUILD)/obj/leaky.o: $(VERSION_FILE)
# The commands compile SYSCONFDIR in: a make install with another one
# rebuilds them, as a new version does leaky.o.
PATHS_FILE := $(BUILD)/PATHS-FILE
$(PATHS_FILE): FORCE
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != 'SYSCONFDIR=$(SYSCONFDIR)' ]; then \
		echo 'SYSCONFDIR=$(SYSCONFDIR)' >$@; fi
$(MAIN_OBJS): $(PATHS_FILE)
$(BUILD)/obj/leaky.o: CPPFLAGS_ALL += -DLEAKY_VERSION='"$(LEAKY_VERSION)"'

$(BUILD)/obj/%.o: src/%.c $(GEN_H) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q) $(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(Q) ar rcs $@ $^

$(CMD_LIB): $(CMD_OBJS)
	@rm -f $@
	$(Q) ar rcs $@ $^

$(BIN): $(MAIN_OBJS) $(LIB)
	$(Q) $(CC) $(LDFLAGS_ALL) -o $@ $(MAIN_OBJS) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(CMD_LIB) $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q) $(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) \
		-Wno-missing-prototypes -o $@ $< $(CMD_LIB) $(LIB) \
		$(LDFLAGS_ALL) \
		$(CMOCKA_LIBS) $(PKG_LIBS)

$(LAB): $(wildcard scripts/lab/*.go) scripts/lab-build.sh | $(DEPS_STAMP)
	@sh scripts/lab-build.sh $@
lab: $(LAB)

ORACLE := build/oracle
$(ORACLE): $(wildcard scripts/oracle/*.go) | $(DEPS_STAMP)
	@cd scripts/oracle && GO111MODULE=off \
		GOPATH=/usr/share/gocode $(GO) build -trimpath \
		-o $(CURDIR)/$@ .
oracle: $(ORACLE)

# The fake Prometheus of the bad-answer tests (t0565): standard library
# only, so GOPATH mode with nothing to fetch.
FAKEPROM := build/fakeprom
$(FAKEPROM): $(wildcard tests/fakeprom/*.go)
	@mkdir -p $(@D)
	@cd tests/fakeprom && GO111MODULE=off $(GO) build -trimpath \
		-o $(CURDIR)/$@ .
fakeprom: $(FAKEPROM)

# Man pages: leaky(1) and leaky-COMMAND(1) for every command the binary
# has, written by the binary from its option tables (leaky help --man).
MAN_DIR := $(BUILD)/man
MAN_STAMP := $(MAN_DIR)/.made
man: $(MAN_STAMP)
$(MAN_STAMP): $(BIN)
	@rm -rf $(MAN_DIR) && mkdir -p $(MAN_DIR)
	@export SOURCE_DATE_EPOCH='$(MAN_DATE)' && \
	$(BIN) help --man >$(MAN_DIR)/leaky.1 && \
	for c in $$($(BIN) help --commands); do \
		$(BIN) help --man $$c >$(MAN_DIR)/leaky-$$c.1 || exit 1; \
	done
	@touch $@

# Bash completion for every command, from the same tables.
COMPLETION := $(BUILD)/completion/leaky
completion: $(COMPLETION)
$(COMPLETION): $(BIN)
	@mkdir -p $(@D)
	@$(BIN) help --completion >$@

# The systemd unit, with the paths it is installed with.
UNIT := $(BUILD)/systemd/leaky-collect@.service
systemd: $(UNIT)
# FORCE: made again each time, as BINDIR or SYSCONFDIR may differ.
$(UNIT): systemd/leaky-collect@.service.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		$< >$@

# The Debian package, built from a copy of the source files (git's, untracked
# ones too, not the ignored) in
# $(BUILD)/deb/ (dpkg-buildpackage writes beside the source tree, so not
# beside this one), then checked by lintian: its errors fail the build.
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/leaky-$(shell cat VERSION)
deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
		xargs -0 tar -cf - | tar -xf - -C $(DEB_SRC); \
	else \
		tar -cf - --exclude=./build --exclude=./.git . | \
		tar -xf - -C $(DEB_SRC); \
	fi
	cd $(DEB_SRC) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -n 30 ../build.log; exit 1; }
	lintian --fail-on error $(DEB_DIR)/*.changes
	@ls $(DEB_DIR)/*.deb

demo: all $(LAB)
	sh scripts/demo.sh $(BIN)

# scripts/bench.sh (heaper, goroutines, pmap), then one scripts/bench-*.sh
# per other command; each prints its figures as ratios to a baseline.
bench: all $(ORACLE) $(LAB)
	sh scripts/bench.sh $(CURDIR)/$(BIN)
	for b in scripts/bench-*.sh; do \
		[ -e "$$b" ] || continue; sh "$$b" $(CURDIR)/$(BIN) || exit 1; \
	done

fixtures: $(LAB) all
	sh scripts/make-fixtures.sh
	sh tests/fixtures/pmap-golden/remake.sh $(CURDIR)/$(BIN)
	sh tests/fixtures/heaper-golden/remake.sh $(CURDIR)/$(BIN)

# An existing leaky.conf is the user's: a reinstall keeps it, and
# uninstall leaves it (and its directory) alone.
install: all man completion systemd
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/leaky \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(UNITDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/leaky
	install -m 644 $(MAN_DIR)/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/leaky
	install -m 644 $(UNIT) $(DESTDIR)$(UNITDIR)/
	[ -e $(DESTDIR)$(SYSCONFDIR)/leaky/leaky.conf ] || \
		install -m 644 configs/leaky.conf \
		$(DESTDIR)$(SYSCONFDIR)/leaky/leaky.conf

# What install put (the pages by their names: leaky.1, leaky-COMMAND.1).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/leaky $(DESTDIR)$(MANDIR)/man1/leaky.1 \
		$(DESTDIR)$(MANDIR)/man1/leaky-*.1 $(DESTDIR)$(BASHCOMPDIR)/leaky \
		'$(DESTDIR)$(UNITDIR)/leaky-collect@.service'

clean:
	rm -rf build leaky

# ---- fuzzing ---------------------------------------------------------
# One target per decoder and sniffing path (tests/fuzz/fuzz_*.c), each a
# LLVMFuzzerTestOneInput. Three builds of them:
#   build/fuzz/lf      clang libFuzzer + ASan + UBSan, engine instrumented,
#                      the generated profile.pb-c.c and (when its Debian
#                      source can be fetched) the protobuf-c runtime too
#   build/fuzz/replay  the standalone driver (tests/fuzz/standalone.c)
#                      against build/san's archive: make test replays
#                      tests/fuzz/regressions/<target>/ and the seeds
#   build/fuzz/afl     afl-clang-fast + ASan + UBSan, standalone driver
FUZZ_TARGETS := pprof heaptext gortext1 gortext2 procmem collconf validate \
	csvout promjson filesd promsel fds memlimit
FUZZ_TIME ?= 600
FUZZ_SMOKE_TIME ?= 20
FUZZ_FLAGS ?=
FUZZ_RSS_MB ?= 1024
FUZZ_TIMEOUT ?= 10
FUZZ_MAX_LEN ?= 262144
FUZZ_CC ?= clang
AFL_CC ?= afl-clang-fast
FUZZ_SRC := tests/fuzz/fuzz_common.c
FUZZ_HDRS := tests/fuzz/fuzz.h tests/fuzz/textfuzz.h
FUZZ_SEEDS := build/fuzz/seeds
FUZZ_PBC := build/fuzz/pbc
FUZZ_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
FUZZ_CPPFLAGS = -Iinclude -Itests/fuzz -D_GNU_SOURCE $(PKG_CFLAGS)
FUZZ_CFLAGS := -std=c11 -O1 -g $(WARN) -Wno-missing-prototypes
# libs without protobuf-c, linked as its instrumented source when present
FUZZ_LIBS = $(filter-out -lprotobuf-c,$(PKG_LIBS))
LF := build/fuzz/lf
LF_BINS := $(FUZZ_TARGETS:%=$(LF)/fuzz_%)
REPLAY := build/fuzz/replay
REPLAY_BINS := $(FUZZ_TARGETS:%=$(REPLAY)/fuzz_%)
AFL := build/fuzz/afl
AFL_BINS := $(FUZZ_TARGETS:%=$(AFL)/fuzz_%)
# The standalone targets without a sanitizer, replayed under valgrind.
PLAIN := build/fuzz/plain
PLAIN_BINS := $(FUZZ_TARGETS:%=$(PLAIN)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-replay fuzz-afl fuzz-seeds \
	test-valgrind fuzz-lib-lf fuzz-lib-afl fuzz-lib-san

# The engine archive of a fuzz build: this Makefile again, other flags
# (clang warns of what gcc does not: no -Werror for src/ there).
fuzz-lib-lf: | $(DEPS_STAMP)
	@$(MAKE) --no-print-directory BUILD=$(LF) CC=$(FUZZ_CC) DEVELOPER= \
		OPT='-O1 -g' \
		SANFLAGS='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' \
		$(LF)/libleaky.a
fuzz-lib-afl: | $(DEPS_STAMP)
	@AFL_QUIET=1 $(MAKE) --no-print-directory BUILD=$(AFL) CC=$(AFL_CC) \
		DEVELOPER= \
		OPT='-O1 -g' SANFLAGS='$(FUZZ_SAN)' $(AFL)/libleaky.a
fuzz-lib-san: | $(DEPS_STAMP)
	@$(MAKE) -s --no-print-directory SANITIZE=address,undefined \
		build/san/libleaky.a

# The protobuf-c runtime, instrumented; empty when its source is missing.
# Two UBs of protobuf-c 1.4.1 that are harmless on our targets, so that the
# fuzzer gets past them (their inputs are in tests/fuzz/regressions/pprof):
# parse_tag_and_wiretype shifts a byte into an int's sign bit (fixed
# upstream in 1.5), and parse_packed_repeated_member adds 0 to a NULL
# array for an empty packed field (upstream issue 792, open): no shift or
# pointer-overflow check in that file.
$(LF)/pbc-rt.o: Makefile | $(DEPS_STAMP)
	@mkdir -p $(@D)
	if sh scripts/fuzz-pbc-src.sh $(FUZZ_PBC) >/dev/null 2>&1; then \
		$(FUZZ_CC) -O1 -g $(FUZZ_SAN) \
		-fno-sanitize=shift,pointer-overflow \
		-fsanitize=fuzzer-no-link \
		-I$(FUZZ_PBC) -c -o $@ $(FUZZ_PBC)/protobuf-c/protobuf-c.c; \
	else \
		echo 'fuzz: no protobuf-c source; using the system library' >&2; \
		: >$@.none; $(FUZZ_CC) -x c -c -o $@ /dev/null; \
	fi

$(LF)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(FUZZ_HDRS) fuzz-lib-lf \
		$(LF)/pbc-rt.o
	$(Q) $(FUZZ_CC) $(FUZZ_CPPFLAGS) -I$(LF)/gen $(FUZZ_CFLAGS) $(FUZZ_SAN) \
		-fsanitize=fuzzer -o $@ $< $(FUZZ_SRC) $(LF)/libleaky.a \
		$(LF)/pbc-rt.o $(FUZZ_LIBS) \
		$(if $(wildcard $(LF)/pbc-rt.o.none),-lprotobuf-c)

$(REPLAY)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(FUZZ_HDRS) \
		tests/fuzz/standalone.c fuzz-lib-san
	@mkdir -p $(@D)
	$(Q) $(CC) $(FUZZ_CPPFLAGS) -Ibuild/san/gen $(FUZZ_CFLAGS) $(FUZZ_SAN) \
		-o $@ $< $(FUZZ_SRC) tests/fuzz/standalone.c \
		build/san/libleaky.a $(PKG_LIBS)

$(PLAIN)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(FUZZ_HDRS) \
		tests/fuzz/standalone.c $(LIB)
	@mkdir -p $(@D)
	$(Q) $(CC) $(FUZZ_CPPFLAGS) -I$(BUILD)/gen $(FUZZ_CFLAGS) \
		-o $@ $< $(FUZZ_SRC) tests/fuzz/standalone.c $(LIB) $(PKG_LIBS)

$(AFL)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(FUZZ_HDRS) \
		tests/fuzz/standalone.c fuzz-lib-afl
	$(Q) env AFL_QUIET=1 $(AFL_CC) $(FUZZ_CPPFLAGS) -I$(AFL)/gen $(FUZZ_CFLAGS) \
		$(FUZZ_SAN) -o $@ $< $(FUZZ_SRC) tests/fuzz/standalone.c \
		$(AFL)/libleaky.a $(PKG_LIBS)

fuzz-seeds:
	@rm -rf $(FUZZ_SEEDS)
	@sh scripts/fuzz-seeds.sh $(FUZZ_SEEDS)

fuzz-build: $(LF_BINS)

# Runs each target for $(1) seconds on its corpus (seeds and regressions
# merged in); a crash leaves its input in build/fuzz/crash/<target>/.
fuzz fuzz-smoke: fuzz-build fuzz-seeds
	sh scripts/fuzz-run.sh $(LF) \
		$(if $(filter fuzz-smoke,$@),$(FUZZ_SMOKE_TIME),$(FUZZ_TIME)) \
		"$(FUZZ_TARGETS)" -rss_limit_mb=$(FUZZ_RSS_MB) \
		-timeout=$(FUZZ_TIMEOUT) -max_len=$(FUZZ_MAX_LEN) $(FUZZ_FLAGS)

fuzz-replay: $(REPLAY_BINS) fuzz-seeds
	sh scripts/fuzz-replay.sh $(REPLAY) "$(FUZZ_TARGETS)"

# make test: the layering check, the unit tests, the CLI tests and the
# fuzz regressions, with one closing line for all of them (tests/run.sh).
# It stands here, below the fuzz variables its prerequisites name.
test: all $(UNIT_BINS) $(ORACLE) $(LAB) $(FAKEPROM) $(REPLAY_BINS) fuzz-seeds
	@LEAKY=$(CURDIR)/$(BIN) ORACLE=$(CURDIR)/$(ORACLE) \
		FAKEPROM=$(CURDIR)/$(FAKEPROM) \
		LEAKY_TEST_SLOW=$(or $(LEAKY_TEST_SLOW),1) \
		UNIT_BINS="$(UNIT_BINS)" \
		FUZZ_REPLAY='sh scripts/fuzz-replay.sh $(REPLAY) "$(FUZZ_TARGETS)"' \
		sh tests/run.sh

fuzz-afl: $(AFL_BINS)
	@echo 'AFL_SKIP_CPUFREQ=1 afl-fuzz -m none -i $(FUZZ_SEEDS)/TARGET' \
		'-o build/fuzz/afl-out/TARGET' \
		'-x tests/fuzz/dict/... -- $(AFL)/fuzz_TARGET'

# make test under valgrind: every unit test binary, every CLI test (time
# limits scaled), the fuzz regressions and seeds; any leak or invalid
# access fails. VALGRIND_JOBS test scripts at a time.
VALGRIND_JOBS ?= 2
test-valgrind: all $(UNIT_BINS) $(ORACLE) $(LAB) $(FAKEPROM) $(PLAIN_BINS) \
		fuzz-seeds
	ORACLE=$(CURDIR)/$(ORACLE) FUZZ_BIN=$(PLAIN) \
	FUZZ_TARGETS="$(FUZZ_TARGETS)" JOBS=$(VALGRIND_JOBS) \
		sh scripts/test-valgrind.sh $(CURDIR)/$(BIN) "$(UNIT_BINS)"

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJS:.o=.d)
