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

PKGS	:= libcmark-gfm libxml-2.0 icu-uc icu-i18n libfyaml libcrypto libmicrohttpd pangocairo pangoft2 fontconfig librsvg-2.0 libqrencode
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
	cp $(BIN) $@.tmp && mv -f $@.tmp $@
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

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/awaaz
	rm -rf $(DESTDIR)$(DATADIR)/themes/default
	cp -R themes/default $(DESTDIR)$(DATADIR)/themes/default

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/awaaz
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build awaaz public .public.staging

# awaaz against Hugo on a generated corpus: bench/README.md.  The
# libraries first, as for make site; bench/run installs Hugo itself.
bench: deps
	@bench/run

# Fuzzing, never part of check: the libFuzzer targets tests/fuzz/fuzz_*.c,
# each naming its modules on a "/* modules: ... */" line, built with clang
# into build/fuzz/ (objects of their own, apart from build/obj and
# build/san).  Each runs FUZZ_SECONDS from build/fuzz/corpus-NAME, where
# its seed corpus tests/fuzz/corpus/NAME/ is copied, so a run never writes
# to the repository; a crash stops at once, its input saved as
# build/fuzz/NAME-crash-*.  See tests/fuzz/README.md.
FUZZ_CC		?= clang
FUZZ_CXX	?= clang++
FUZZ_SECONDS	?= 30
FUZZ_TIMEOUT	?= 25
FUZZ		:= build/fuzz
FUZZ_SAN	:= -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS	 = $(CPPFLAGS) $(WARN) -O1 -g $(FUZZ_SAN) $(PKG_CFLAGS)
FUZZ_NAMES	:= $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz_mods	 = $(shell sed -n 's|^/\* modules: \(.*\) \*/$$|\1|p' \
		   tests/fuzz/$(1).c)
fuzz_objs	 = $(patsubst %,$(FUZZ)/obj/%.o,$(call fuzz_mods,$(1)))

# Leaks inside libfyaml are matched to lsan.supp by function name, which
# needs the slow unwinder (libfyaml has no frame pointers): only for the
# targets that parse YAML.  fuzz_tpl's scratch folders go to build/fuzz/tmp.
fuzz: $(addprefix $(FUZZ)/,$(FUZZ_NAMES))
	@for n in $(FUZZ_NAMES); do \
	    mkdir -p $(FUZZ)/corpus-$$n && \
	    cp tests/fuzz/corpus/$$n/* $(FUZZ)/corpus-$$n/ || exit 1; \
	    dict=; test -f tests/fuzz/$$n.dict && \
	    dict=-dict=tests/fuzz/$$n.dict; \
	    case $$n in fuzz_yaml|fuzz_fm) \
	    asan=fast_unwind_on_malloc=0:malloc_context_size=8;; \
	    *) asan=;; esac; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	    mkdir -p $(FUZZ)/tmp && TMPDIR=$(FUZZ)/tmp \
	    ASAN_OPTIONS=$$asan UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp:print_suppressions=0 \
	    $(FUZZ)/$$n -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=$(FUZZ_TIMEOUT) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ)/$$n- $$dict $(FUZZ)/corpus-$$n \
	    || exit 1; \
	done

$(FUZZ)/obj/%.o: generator/%.c $(wildcard generator/*.h) | $(FUZZ)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=gnu11 -c -o $@ $<

$(FUZZ)/obj/%.o: generator/%.cc $(wildcard generator/*.h) | $(FUZZ)/obj
	$(FUZZ_CXX) $(FUZZ_CFLAGS) -std=gnu++17 -c -o $@ $<

$(FUZZ)/obj/fuzz_%.o: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
    $(wildcard generator/*.h) | $(FUZZ)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -std=gnu11 -Itests/fuzz -c -o $@ $<

$(FUZZ)/fuzz_%: $(FUZZ)/obj/fuzz_%.o $$(call fuzz_objs,fuzz_%)
	$(FUZZ_CXX) $(FUZZ_SAN) -o $@ $^ $(LDLIBS_ALL)

$(FUZZ)/obj:
	mkdir -p $@
