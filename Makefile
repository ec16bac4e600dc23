# awaaz: one non-recursive Makefile.
#
#   make            build ./awaaz
#   make site       install missing dependencies, build awaaz and the example
#                   campaign into public/
#   make check      build and run every test; ends with "N passed, N failed"
#   make install    PREFIX=/usr/local, DESTDIR honoured
#   make SANITIZE=1 build with AddressSanitizer and UBSan (objects in build/san)

VERSION	:= 0.1.0
PREFIX	?= /usr/local
BINDIR	 = $(PREFIX)/bin
DATADIR	 = $(PREFIX)/share/awaaz

PKGS	:= libcmark-gfm libxml-2.0 icu-uc icu-i18n libfyaml
CC	?= cc
CXX	?= c++
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lpthread
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN	:= -Wall -Wextra -Wno-unused-parameter
CFLAGS	?= -O2 -g
CXXFLAGS ?= -O2 -g
CPPFLAGS += -D_GNU_SOURCE -DAWAAZ_VERSION='"$(VERSION)"' \
	    -DAWAAZ_DATADIR='"$(DATADIR)"' -Igenerator
ifeq ($(SANITIZE),1)
BUILD	:= build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined
else
BUILD	:= build/obj
SANFLAGS :=
endif
ALL_CFLAGS   = $(CPPFLAGS) $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -std=gnu11
ALL_CXXFLAGS = $(CPPFLAGS) $(WARN) $(CXXFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -std=gnu++17
LDLIBS_ALL   = $(PKG_LIBS)

SRCS	:= $(wildcard generator/*.c)
CXXSRCS	:= $(wildcard generator/*.cc)
OBJS	:= $(patsubst generator/%.c,$(BUILD)/%.o,$(SRCS)) \
	   $(patsubst generator/%.cc,$(BUILD)/%.o,$(CXXSRCS))
BIN	:= $(BUILD)/awaaz

.PHONY: all site check deps install uninstall clean regen bench fuzz

# ./awaaz is the normal build; a sanitizer build stays in build/san.
ifeq ($(SANITIZE),1)
all: $(BIN)
else
all: awaaz
awaaz: $(BIN)
	cp $(BIN) $@
endif

$(BIN): $(OBJS)
	$(CXX) $(SANFLAGS) -o $@ $(OBJS) $(LDLIBS_ALL)

$(BUILD)/%.o: generator/%.c $(wildcard generator/*.h) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: generator/%.cc $(wildcard generator/*.h) | $(BUILD)
	$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

# Unit tests: tests/unit/test_NAME.c names the modules it links on a line
# "/* modules: fm yaml diag util */", so one module's test builds while
# others are unfinished.
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
test_mods   = $(shell sed -n 's|^/\* modules: \(.*\) \*/$$|\1|p' tests/unit/$(1).c)
test_objs   = $(patsubst %,$(BUILD)/%.o,$(call test_mods,$(1)))

.SECONDEXPANSION:
.SECONDARY:
$(BUILD)/tests/%.o: tests/unit/%.c $(wildcard generator/*.h tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $$(call test_objs,%)
	$(CXX) $(SANFLAGS) -o $@ $< $(call test_objs,$*) $(LDLIBS_ALL) \
	    $(CMOCKA_LIBS)

check: deps-check $(BIN) $(UNIT_TESTS)
	@LC_ALL=C.UTF-8 TZ=UTC AWAAZ=$(BIN) BUILD=$(BUILD) tests/run

regen: $(BIN)
	@LC_ALL=C.UTF-8 TZ=UTC AWAAZ=$(BIN) BUILD=$(BUILD) tests/run --regen

deps:
	@tools/deps install

deps-check:
	@tools/deps check

site: deps
	$(MAKE) awaaz
	./awaaz build

install: awaaz
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 755 awaaz $(DESTDIR)$(BINDIR)/awaaz
	rm -rf $(DESTDIR)$(DATADIR)/themes/default
	cp -R themes/default $(DESTDIR)$(DATADIR)/themes/default

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/awaaz
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build awaaz public .public.staging
