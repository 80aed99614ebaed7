# csdesk — the one entry point: build, run, test, bench, fuzz, install.
#
#   make run     install missing packages, build, start the demo on :8080
#   make test    install missing packages, check the layering, build with
#                warnings as errors and run every Check suite
#   make asan    the same suites under AddressSanitizer + UBSan
#   make fuzz    build and briefly run every libFuzzer harness
#   make fuzz-long  an hour each, growing the committed corpus
#   make bench   start the stack and load it with wrk; prints a table
#   make soak    create tickets through the API while killing workers and
#                restarting PostgreSQL; checks nothing acknowledged is lost
#   make stop    stop what `make run` started
#   make env     print the export line for the `make run` database

CC      ?= cc
# Where templates, static files and SQL are read from at run time.
DATADIR ?= $(CURDIR)
B       ?= build

# pkg-config is asked when make reads this file, so a make started before
# scripts/deps.sh installed the -dev packages would compile without their
# flags. `run`, `test`, `bench` and `fuzz` therefore run deps.sh first and
# then a second make for the build: that one reads the flags afresh.
# cairo and xlsxwriter: headers only; report_export.c opens the libraries
# when a PDF or XLSX is first made, so no worker maps them before.
PKG_CFLAGS := $(shell pkg-config --cflags fcgi libpq libsodium jansson libcmark libcurl liboath libqrencode xlsxwriter cairo gmime-3.0 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs fcgi libpq libsodium jansson libcmark libcurl liboath libqrencode gmime-3.0 2>/dev/null) -lcrack
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN    := -Wall -Wextra -Wpedantic -Wmissing-prototypes -Wstrict-prototypes \
           -Wwrite-strings -Wformat=2 -Wvla -fno-common -Werror
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT     ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) -Isrc -Icgi-bin $(PKG_CFLAGS) \
           -DCSDESK_DATADIR='"$(DATADIR)"'
LDFLAGS += -pie -Wl,-z,relro,-z,now
LDLIBS  += $(PKG_LIBS) -lm

LIB_SRC := $(sort $(wildcard src/core/*.c src/tmpl/*.c src/db/*.c src/auth/*.c src/domain/*.c src/web/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_SRC := $(sort $(wildcard src/cli/*.c))
PORTAL_SRC  := cgi-bin/portal.c $(sort $(wildcard cgi-bin/portal/*.c))
CONSOLE_SRC := cgi-bin/console.c $(sort $(wildcard cgi-bin/console/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
HTTP_SRC := $(sort $(wildcard tests/http/*.c))
DB_SRC   := $(sort $(wildcard tests/db/*.c))
TLIB_SRC := $(sort $(wildcard tests/lib/*.c))

BINS := $(B)/portal.fcgi $(B)/console.fcgi $(B)/csdesk
TESTS := $(B)/tests/unit $(B)/tests/db $(B)/tests/http

.PHONY: all run stop env test test-browser build-tests asan fuzz fuzz-long bench soak clean deps check-layers install
all: $(BINS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

# Made afresh, and again whenever a source file comes or goes (the list
# below changes): `ar r` into an old archive would keep the objects of
# source files since deleted.
$(B)/libcsdesk.a: $(LIB_OBJ) $(B)/lib-sources
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/lib-sources: FORCE
	@mkdir -p $(B)
	@echo '$(LIB_SRC)' | cmp -s - $@ || echo '$(LIB_SRC)' > $@

.PHONY: FORCE

$(B)/portal.fcgi: $(PORTAL_SRC:%.c=$(B)/obj/%.o) $(B)/libcsdesk.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/console.fcgi: $(CONSOLE_SRC:%.c=$(B)/obj/%.o) $(B)/libcsdesk.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/csdesk: $(CLI_SRC:%.c=$(B)/obj/%.o) $(B)/libcsdesk.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/unit: $(UNIT_SRC:%.c=$(B)/obj/%.o) $(TLIB_SRC:%.c=$(B)/obj/%.o) $(B)/libcsdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CHECK_LIBS)
$(B)/tests/db: $(DB_SRC:%.c=$(B)/obj/%.o) $(TLIB_SRC:%.c=$(B)/obj/%.o) $(B)/libcsdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CHECK_LIBS)
$(B)/tests/http: $(HTTP_SRC:%.c=$(B)/obj/%.o) $(TLIB_SRC:%.c=$(B)/obj/%.o) $(B)/libcsdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(CHECK_LIBS)

# The test suites find the programs, templates and SQL through these.
TEST_ENV := CSDESK_BUILD=$(CURDIR)/$(B) CSDESK_DATADIR=$(CURDIR)

test: deps
	@scripts/check-layers.sh
	@tests/layers/check-layers-test.sh
	@$(MAKE) --no-print-directory build-tests
	@CSDESK_BUILD=$(CURDIR)/$(B) scripts/check-units.sh
	@scripts/check-results.py
	@tests/layers/check-results-test.sh
	@scripts/check-i18n.py
	@tests/layers/check-i18n-test.sh
	@$(TEST_ENV) scripts/run-tests.sh $(TESTS)
	@CSDESK_BUILD=$(CURDIR)/$(B) scripts/test-browser.sh

# The console and portal in headless Chromium (skipped when it is missing).
test-browser: deps
	@$(MAKE) --no-print-directory all
	@CSDESK_BUILD=$(CURDIR)/$(B) scripts/test-browser.sh

# What `make test` builds, once the packages are there.
build-tests: $(BINS) $(TESTS)

asan:
	$(MAKE) B=build-asan OPT='-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined' \
	    LDFLAGS='-pie -Wl,-z,relro,-z,now -fsanitize=address,undefined' test

FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 20
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_TARGETS)
# An hour each, then what reached new code is merged into tests/fuzz/corpus/ to commit.
FUZZ_LONG_SECONDS ?= 3600
fuzz-long: deps
	@FUZZ_LONG_SECONDS=$(FUZZ_LONG_SECONDS) scripts/fuzz.sh --long $(FUZZ_TARGETS)

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

stop:
	@scripts/stop.sh

env:
	@scripts/env.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

soak: deps
	@$(MAKE) --no-print-directory all
	@scripts/soak.sh

# Installs the packages in scripts/packages.txt that are missing (as root;
# otherwise prints the apt-get line and fails). Quick when nothing is.
deps:
	@scripts/deps.sh

# The include rules of docs/architecture.md.
check-layers:
	@scripts/check-layers.sh

# Installs for production: programs, templates, static files, SQL, configs.
# Then see docs/operations.md.
PREFIX ?= /usr
install: all
	install -d $(DESTDIR)$(PREFIX)/lib/csdesk $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/csdesk $(DESTDIR)/lib/systemd/system
	install -m 755 $(B)/portal.fcgi $(B)/console.fcgi $(DESTDIR)$(PREFIX)/lib/csdesk/
	install -m 755 $(B)/csdesk $(DESTDIR)$(PREFIX)/bin/
	cp -r templates static sql nginx $(DESTDIR)$(PREFIX)/share/csdesk/
	install -m 644 systemd/* $(DESTDIR)/lib/systemd/system/

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
