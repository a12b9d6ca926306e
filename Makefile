# SPDX-License-Identifier: GPL-2.0
# ptinspect: make builds ./ptinspect; make check runs every test suite.
# V=1 shows the full commands.

CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/sbin
MANDIR = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
# Debian's zsh reads packages' completions from vendor-completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)

WARN = -std=gnu11 -Wall -Wextra -Werror
# The version lives in VERSION alone: --version and every JSON document.
PT_VERSION := $(shell cat VERSION)
CPPFLAGS += -D_GNU_SOURCE -DPT_VERSION='"$(PT_VERSION)"'
CFLAGS ?= -O2 -g
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# readline before ncurses (readline uses its terminfo functions); libpfm4
# is opened by src/pmu.c when a lab asks for counters (its relocations
# cost every run a millisecond), and linked into the static builds only
LDLIBS = -lreadline $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw) -ldl -lm
STATIC_LDLIBS = -lreadline $(shell pkg-config --static --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo) -lpfm -lm

ifeq ($(V),1)
Q =
else
Q = @
endif

# C generated at build time into build/gen, never committed: the rows
# files' (rows_ARCH.c: src/rows/common.rows and src/rows/ARCH.rows, checked
# by the rows reader on the way; every build links each architecture's,
# and explain.c picks the running one's) and the lessons' (lessons_all.c)
GEN = build/gen
ROWS_ARCHES = $(filter-out common,$(patsubst src/rows/%.rows,%,$(wildcard src/rows/*.rows)))
GEN_SRCS = $(patsubst %,$(GEN)/rows_%.c,$(ROWS_ARCHES)) $(GEN)/lessons_all.c
SRCS = $(sort $(wildcard src/*.c src/arch/*.c))
LIB_SRCS = $(filter-out src/ptinspect.c,$(SRCS))
UNIT_TESTS = $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
HOST_TESTS = $(patsubst tests/host/%.c,%,$(sort $(wildcard tests/host/test_*.c)))
HELPERS = $(patsubst tests/helpers/%.c,%,$(sort $(wildcard tests/helpers/*.c)))

# One build tree per variant: plain, sanitizers, static (for the VM), and
# static-arm64 (for the arm64 VM: aarch64-linux-gnu-gcc with the arm64
# -dev packages of Debian's multiarch, see scripts/deps.sh).
VARIANTS = plain asan static static-arm64
ARM64_LIBDIR = /usr/lib/aarch64-linux-gnu
plain_CFLAGS = $(CFLAGS)
asan_CFLAGS = -O1 -g $(SAN)
asan_LDFLAGS = $(SAN)
static_CFLAGS = $(CFLAGS) -DPT_PFM_LINKED
static_LDFLAGS = -static
static-arm64_CC = aarch64-linux-gnu-gcc
static-arm64_CFLAGS = $(CFLAGS) -DPT_PFM_LINKED
static-arm64_LDFLAGS = -static
static-arm64_LIBS = -lreadline $(shell PKG_CONFIG_LIBDIR=$(ARM64_LIBDIR)/pkgconfig \
	pkg-config --static --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo) -lpfm -lm
plain_LIBS = $(LDLIBS)
asan_LIBS = $(LDLIBS)
static_LIBS = $(STATIC_LDLIBS)

.PHONY: all deps demo check test unit host clean install uninstall man bench fuzz \
	tidy cppcheck compile_commands.json format kmod completion deb gen
.DEFAULT_GOAL := all

all: ptinspect

define variant_rules
$(1)_GEN = $$(patsubst $$(GEN)/%.c,build/$(1)/gen/%.o,$$(GEN_SRCS))
$(1)_OBJS = $$(patsubst src/%.c,build/$(1)/%.o,$$(SRCS)) $$($(1)_GEN)
$(1)_LIB = $$(patsubst src/%.c,build/$(1)/%.o,$$(LIB_SRCS)) $$($(1)_GEN)

build/$(1)/%.o: src/%.c
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC [$(1)] $$<")
	$$(Q)$$(or $$($(1)_CC),$$(CC)) $$(CPPFLAGS) $$(WARN) $$($(1)_CFLAGS) -MMD -MP -c $$< -o $$@

build/$(1)/gen/%.o: $$(GEN)/%.c
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC [$(1)] $$<")
	$$(Q)$$(or $$($(1)_CC),$$(CC)) $$(CPPFLAGS) -Isrc $$(WARN) $$($(1)_CFLAGS) -MMD -MP -c $$< -o $$@

build/$(1)/ptinspect: $$($(1)_OBJS)
	@$$(if $$(Q),echo "  LD [$(1)] $$@")
	$$(Q)$$(or $$($(1)_CC),$$(CC)) $$($(1)_CFLAGS) $$($(1)_LDFLAGS) $$^ -o $$@ $$($(1)_LIBS)

build/$(1)/tests/%: tests/unit/%.c $$($(1)_LIB)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC [$(1)] $$<")
	$$(Q)$$(or $$($(1)_CC),$$(CC)) $$(CPPFLAGS) -Isrc $$(WARN) $$($(1)_CFLAGS) $$($(1)_LDFLAGS) $$^ -o $$@ -lcmocka $$($(1)_LIBS)

# The interpreter without the views: no curses, no readline.
build/$(1)/tests/test_interp: tests/unit/test_interp.c $$(filter-out build/$(1)/ui.o build/$(1)/prompt.o build/$(1)/sub_%.o,$$($(1)_LIB))
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC [$(1)] $$<")
	$$(Q)$$(CC) $$(CPPFLAGS) -Isrc $$(WARN) $$($(1)_CFLAGS) $$($(1)_LDFLAGS) $$^ -o $$@ -lcmocka -lpfm -lm

build/$(1)/tests/%: tests/host/%.c $$($(1)_LIB)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC [$(1)] $$<")
	$$(Q)$$(or $$($(1)_CC),$$(CC)) $$(CPPFLAGS) -Isrc $$(WARN) $$($(1)_CFLAGS) $$($(1)_LDFLAGS) $$^ -o $$@ -lcmocka $$($(1)_LIBS)

build/$(1)/helpers/%: tests/helpers/%.c
	@mkdir -p $$(dir $$@)
	$$(Q)$$(or $$($(1)_CC),$$(CC)) $$(CPPFLAGS) $$(WARN) $$($(1)_CFLAGS) $$($(1)_LDFLAGS) $$< -o $$@

# the files that print the version are rebuilt when it changes
build/$(1)/json.o build/$(1)/options.o build/$(1)/sub_lab.o: VERSION

-include $$(patsubst src/%.c,build/$(1)/%.d,$$(SRCS)) $$($(1)_GEN:.o=.d)
endef
$(foreach v,$(VARIANTS),$(eval $(call variant_rules,$(v))))

# The expectations are data: common.rows and each architecture's file
# compile into one C string, checked on the way by the rows reader itself
# (scripts/gen-rows.c, built for the build machine with rows.c and the
# bit tables): a bad row fails the build with one line.
GEN_ROWS_SRCS = scripts/gen-rows.c src/rows.c src/layout.c $(wildcard src/arch/*.c) \
	src/status.c src/intern.c
$(GEN)/gen-rows: $(GEN_ROWS_SRCS) src/rows.h src/layout.h src/status.h src/intern.h src/subject.h \
	src/lang.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC $@")
	$(Q)$(CC) $(CPPFLAGS) -Isrc $(WARN) -O1 $(GEN_ROWS_SRCS) -o $@

$(GEN)/rows_%.c: src/rows/common.rows src/rows/%.rows $(GEN)/gen-rows
	@$(if $(Q),echo "  GEN $@")
	$(Q)$(GEN)/gen-rows $* src/rows/common.rows src/rows/$*.rows >$@.tmp && \
		mv -f $@.tmp $@ || { rm -f $@.tmp; false; }

# The lessons are data too: all of them compile into one C file.
LESSONS = $(sort $(wildcard lessons/*.lesson))
$(GEN)/lessons_all.c: $(LESSONS) scripts/gen-lessons.sh
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN $@")
	$(Q)sh scripts/gen-lessons.sh $(LESSONS) >$@.tmp && mv -f $@.tmp $@

# the generated C alone (the fuzz targets and the static checks compile it)
gen: $(GEN_SRCS)

# a rename, so a running ./ptinspect is not in the way
ptinspect: build/plain/ptinspect
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@

# Installs missing Debian packages when run as root; otherwise names them.
deps:
	$(Q)sh scripts/deps.sh

COMPLETION = build/completion/ptinspect.bash build/completion/_ptinspect
TEST_BINS = $(foreach v,plain asan,$(addprefix build/$(v)/tests/,$(UNIT_TESTS) $(HOST_TESTS)) \
	$(addprefix build/$(v)/helpers/,$(HELPERS)) build/$(v)/ptinspect) build/bench/kmodparse

test: ptinspect $(TEST_BINS) $(COMPLETION)
	$(Q)sh tests/run

check: deps
	$(Q)$(MAKE) --no-print-directory test

# the demo's packages only: a workshop laptop needs no browser or linter
demo:
	$(Q)sh scripts/deps.sh demo
	$(Q)$(MAKE) --no-print-directory ptinspect
	$(Q)sh scripts/demo.sh

# ptinspect dump --range against a raw pagemap read, in one run (root:
# PFNs and kpageflags).  BENCH_REPEAT runs per row, the median is shown.
BENCH_REPEAT ?= 5
build/bench/ptbench: bench/ptbench.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $< -o $@

# the module source's user-space half on answers generated in its format,
# for a profiler: valgrind --tool=callgrind build/bench/kmodparse 256
build/bench/kmodparse: bench/kmodparse.c $(plain_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) -Isrc $(WARN) $(CFLAGS) $^ -o $@ $(LDLIBS)

# ... and, in the test VM, the module's range walk against a pagemap read
# and a process's mmap latency beside it (BENCH_VM=0 skips the VM).
BENCH_VM ?= 1
bench: ptinspect build/bench/ptbench
	$(Q)build/bench/ptbench ./ptinspect $(BENCH_REPEAT)
	$(Q)if [ "$(BENCH_VM)" = 1 ]; then sh bench/kmod-vm.sh; fi

# Every fuzz target for FUZZ_RUNS inputs each (make check's fuzz suite
# runs a short count); each target's peak memory is in its TAP line.
FUZZ_RUNS ?= 10000000
fuzz:
	$(Q)PT_FUZZ_RUNS=$(FUZZ_RUNS) nice -n 19 sh tests/fuzz/run.sh

# The man page's generated sections come from the C tables.
man: ptinspect
	$(Q)sh scripts/gen-man.sh ./ptinspect man/ptinspect.8

# Shell completion comes from what the built binary prints (--help, help).
completion: $(COMPLETION)
$(COMPLETION) &: ptinspect scripts/gen-completion.sh completion/ptinspect.bash.in completion/_ptinspect.in
	$(Q)sh scripts/gen-completion.sh ./ptinspect build/completion

install: ptinspect $(COMPLETION)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man4 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0755 ptinspect $(DESTDIR)$(BINDIR)/ptinspect
	install -m 0644 man/ptinspect.8 $(DESTDIR)$(MANDIR)/man8/ptinspect.8
	install -m 0644 man/ptdump_helper.4 $(DESTDIR)$(MANDIR)/man4/ptdump_helper.4
	install -m 0644 build/completion/ptinspect.bash $(DESTDIR)$(BASHCOMPDIR)/ptinspect
	install -m 0644 build/completion/_ptinspect $(DESTDIR)$(ZSHCOMPDIR)/_ptinspect

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ptinspect $(DESTDIR)$(MANDIR)/man8/ptinspect.8 \
		$(DESTDIR)$(MANDIR)/man4/ptdump_helper.4 \
		$(DESTDIR)$(BASHCOMPDIR)/ptinspect $(DESTDIR)$(ZSHCOMPDIR)/_ptinspect

# The Debian packages (debian/), built from a copy of the tree so that
# dpkg-buildpackage's ../*.deb land in build/deb, not beside the checkout.
deb:
	$(Q)sh scripts/deb.sh build/deb

compile_commands.json:
	$(MAKE) clean && bear -- $(MAKE) ptinspect

tidy:
	clang-tidy $(SRCS) -- $(CPPFLAGS) $(WARN)

cppcheck:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr $(CPPFLAGS) src

format:
	clang-format -i $(SRCS) src/*.h

clean:
	rm -rf build ptinspect
