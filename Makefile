# leaky: one Makefile for build, test, bench, demo, fuzz and install.
#   make                      build ./leaky (installs Debian deps if missing)
#   make test                 unit tests, then CLI tests
#   make SANITIZE=address,undefined test
#   make demo | bench | install PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= $(PREFIX)/etc
CC ?= cc
GO ?= go

ifeq ($(origin CC),default)
CC = cc
endif

BUILD := build
ifneq ($(SANITIZE),)
BUILD := build/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

OPT ?= -O2 -g
# Evaluated only in recipes, after the dependency stamp has installed them.
PKG_CFLAGS = $(shell pkg-config --cflags libprotobuf-c zlib libcurl libconfig)
PKG_LIBS = $(shell pkg-config --libs libprotobuf-c zlib libcurl libconfig) \
	-lcsv -lm
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

CPPFLAGS_ALL = -Iinclude -I$(BUILD)/gen -D_GNU_SOURCE \
	-DLEAKY_SYSCONFDIR='"$(SYSCONFDIR)"' $(CPPFLAGS)
CFLAGS_ALL = -std=c11 $(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

DEPS_STAMP := build/.deps-ok
GEN := $(BUILD)/gen/proto/profile.pb-c.c
GEN_H := $(GEN:.c=.h)

# Engine modules, one line per area (each owned by its feature's work).
ENGINE_CORE := util buf arena gunzip strmap pprof textprof heaptext gortext \
	cmdopt \
	profile agg csvout series outfile table
ENGINE_PMAP := procmem
ENGINE_GOROUTINES := gorout
ENGINE_COLLECT := collect collconf scrape procwatch collstore collrun
ENGINE_LOAD := loadgen loadopt loadstat lathist
ENGINE_REPORT := stats dataset report
ENGINE_PLOT := plot
ENGINE := $(ENGINE_CORE) $(ENGINE_PMAP) $(ENGINE_GOROUTINES) \
	$(ENGINE_COLLECT) $(ENGINE_LOAD) $(ENGINE_REPORT) $(ENGINE_PLOT)
CMDS := heaper goroutines pmap collect load report plot
LIB_OBJS := $(ENGINE:%=$(BUILD)/obj/%.o) $(CMDS:%=$(BUILD)/obj/cmd_%.o) \
	$(BUILD)/obj/profile.pb-c.o
MAIN_OBJ := $(BUILD)/obj/leaky.o
LIB := $(BUILD)/libleaky.a
BIN := $(BUILD)/leaky

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

export GOCACHE ?= $(CURDIR)/build/go-cache
export GOFLAGS ?= -trimpath
export GO111MODULE ?= on
export GOTOOLCHAIN ?= local
LAB := build/lab

.PHONY: all deps test unit-test cli-test demo bench install clean fixtures \
	lab oracle
.DELETE_ON_ERROR:

all: $(BIN) leaky

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps.sh
	sh scripts/install-deps.sh
	@mkdir -p $(@D) && touch $@

leaky: $(BIN)
	@if [ "$(BUILD)" = build ]; then ln -sf $(BIN) $@; fi

$(GEN): proto/profile.proto | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/gen
	protoc-c --c_out=$(BUILD)/gen $<
$(GEN_H): $(GEN)

$(BUILD)/obj/profile.pb-c.o: $(GEN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -std=c11 $(OPT) $(SANFLAGS) $(PKG_CFLAGS) \
		$(CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c $(GEN_H) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MAIN_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) \
		-Wno-missing-prototypes -o $@ $< $(LIB) $(LDFLAGS_ALL) \
		$(CMOCKA_LIBS) $(PKG_LIBS)

$(LAB): $(wildcard scripts/lab/*.go scripts/lab/go.mod) | $(DEPS_STAMP)
	cd scripts/lab && $(GO) build -trimpath -o $(CURDIR)/$@ .
lab: $(LAB)

ORACLE := build/oracle
$(ORACLE): $(wildcard scripts/oracle/*.go) | $(DEPS_STAMP)
	cd scripts/oracle && GO111MODULE=off \
		GOPATH=/usr/share/gocode $(GO) build -trimpath \
		-o $(CURDIR)/$@ .
oracle: $(ORACLE)

test: all $(UNIT_BINS) $(ORACLE) $(LAB)
	LEAKY=$(CURDIR)/$(BIN) ORACLE=$(CURDIR)/$(ORACLE) \
		UNIT_BINS="$(UNIT_BINS)" sh tests/run.sh

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

# An existing leaky.conf is the user's: a reinstall keeps it.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/leaky
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/leaky
	[ -e $(DESTDIR)$(SYSCONFDIR)/leaky/leaky.conf ] || \
		install -m 644 configs/leaky.conf \
		$(DESTDIR)$(SYSCONFDIR)/leaky/leaky.conf

clean:
	rm -rf build leaky

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
