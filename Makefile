# vmviz - a live visualizer of Linux virtual memory.
# `make run` and `make test` install missing Debian packages first (deps).

CC      ?= gcc
PREFIX  ?= /usr/local
BUILD   ?= build
OPT     ?= -O2 -g
CFLAGS_BASE = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              -Wall -Wextra -Werror -Wshadow -Isrc $(OPT)

UI_CFLAGS := $(shell pkg-config --cflags ncursesw readline 2>/dev/null)
UI_LIBS   := $(shell pkg-config --libs ncursesw readline 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)

ENGINE_SRC = $(sort $(wildcard src/*.c))
UI_SRC     = $(sort $(wildcard ui/*.c))
TEST_SRC   = $(sort $(wildcard tests/test_*.c))
BENCH_SRC  = $(sort $(wildcard tests/bench_*.c))

ENGINE_OBJ = $(ENGINE_SRC:%.c=$(BUILD)/%.o)
UI_OBJ     = $(UI_SRC:%.c=$(BUILD)/%.o)
UI_LIB_OBJ = $(filter-out $(BUILD)/ui/main.o,$(UI_OBJ))
TEST_BIN   = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_BIN  = $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)

VMVIZ = $(BUILD)/vmviz

.PHONY: record-test diff diff-tools fuzz soak soak-short all run test unit golden screen lint asan bench deps test-deps install uninstall install-test clean screenshots

# vmviz record's LD_PRELOAD library: nothing of the engine, no allocation
# (never built with the sanitizers: it runs inside the recorded program).
RECORD_LIB = $(BUILD)/libvmviz-record.so

all: $(VMVIZ) $(RECORD_LIB)

$(RECORD_LIB): src/record/vmviz_record.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -Wshadow -O2 -g -fPIC -shared -o $@ $<

# Small programs vmviz record is tested on (tests/record.sh).
PROG_SRC = $(sort $(wildcard tests/progs/*.c))
PROG_BIN = $(PROG_SRC:tests/progs/%.c=$(BUILD)/tests/progs/%)
$(BUILD)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O0 -g -o $@ $< $(if $(findstring threads,$@),-pthread) $(if $(findstring static,$@),-static)

$(BUILD)/src/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -c $< -o $@

$(BUILD)/ui/%.o: ui/%.c $(wildcard src/*.h ui/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iui $(UI_CFLAGS) $(CFLAGS) -c $< -o $@

# Where an installed vmviz finds its scenarios when it is not beside them.
$(BUILD)/ui/catalog.o: CFLAGS += -DVMVIZ_SCENARIO_DIR='"$(SCENARIO_DIR)"'


$(BUILD)/libvmviz.a: $(ENGINE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libvmvizui.a: $(UI_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(VMVIZ): $(BUILD)/ui/main.o $(BUILD)/libvmvizui.a $(BUILD)/libvmviz.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(UI_LIBS) -lz -llzma -lm

# Screen tests (and benchmarks) link the UI library; engine tests must not
# need it, so they build while the screen is being changed.
UI_TEST_NAMES = test_layout test_cellgrid test_ui_% bench_redraw
UI_TEST_BIN = $(filter $(UI_TEST_NAMES:%=$(BUILD)/tests/%),$(TEST_BIN) $(BENCH_BIN))
ENGINE_TEST_BIN = $(filter-out $(UI_TEST_BIN),$(TEST_BIN) $(BENCH_BIN))

$(ENGINE_TEST_BIN): $(BUILD)/tests/%: tests/%.c $(BUILD)/libvmviz.a $(wildcard tests/*.h src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Itests $(CMOCKA_CFLAGS) $(CFLAGS) -o $@ $< \
		$(BUILD)/libvmviz.a $(CMOCKA_LIBS) $(LDFLAGS) -lz -llzma -lm

$(UI_TEST_BIN): $(BUILD)/tests/%: tests/%.c $(BUILD)/libvmvizui.a $(BUILD)/libvmviz.a $(wildcard tests/*.h src/*.h ui/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iui -Itests $(UI_CFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) -o $@ $< \
		$(BUILD)/libvmvizui.a $(BUILD)/libvmviz.a $(CMOCKA_LIBS) $(UI_LIBS) $(LDFLAGS) -lz -llzma -lm

# The screenshot converter (not a test: no cmocka). An explicit target, so it
# wins over the pattern rule above.
$(BUILD)/tests/tool_ansi2svg: tests/tool_ansi2svg.c $(BUILD)/libvmvizui.a $(BUILD)/libvmviz.a $(wildcard ui/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iui $(CFLAGS) -o $@ $< \
		$(BUILD)/libvmvizui.a $(BUILD)/libvmviz.a $(UI_LIBS) -lz -llzma -lm

# The differential harness (tests/diff/README.md): vmviz against a real
# process. The probe is built with gcc as it is (no sanitizers, no $(OPT)):
# its maps must equal a trivial program's, see tests/diff/probe.c. make test
# runs it on the recorded sequences and 200 fresh ones (live, where ASLR can
# be turned off); DIFF_SEEDS=1-1000 DIFF_OPS=extended for the big run.
PROBE_CC     ?= gcc
PROBE_CFLAGS  = -std=c11 -O1 -fPIE -pie -fno-plt -mgeneral-regs-only -fno-asynchronous-unwind-tables \
                -Wall -Wextra -Werror -Wl,-z,now
DIFF_SEEDS   ?= 1-200
DIFF_OPS     ?= basic
DIFF_TOOLS    = $(BUILD)/tests/diff_probe $(BUILD)/tests/diff_trivial $(BUILD)/tests/diff_gen

$(BUILD)/tests/diff_probe: tests/diff/probe.c
	@mkdir -p $(dir $@)
	$(PROBE_CC) $(PROBE_CFLAGS) -o $@ $<

$(BUILD)/tests/diff_trivial: tests/diff/trivial.c
	@mkdir -p $(dir $@)
	$(PROBE_CC) $(PROBE_CFLAGS) -o $@ $<

$(BUILD)/tests/diff_gen: tests/diff/gen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -o $@ $< $(LDFLAGS)

diff-tools: $(DIFF_TOOLS)

diff: $(VMVIZ) $(DIFF_TOOLS)
	@bash tests/diff/run.sh --vmviz $(VMVIZ) --seeds $(DIFF_SEEDS) --ops $(DIFF_OPS)

# The soak generator: a random script with a byte-exact shadow (no cmocka).
$(BUILD)/tests/soak_gen: tests/soak_gen.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS) -o $@ $< $(LDFLAGS)

# Installs what is missing, on Debian (as root, or through sudo): deps for
# building and running, test-deps adds the test tools.
deps:
	@bash tests/deps.sh run

test-deps:
	@bash tests/deps.sh test

# deps first, then a fresh make: pkg-config only knows the libraries once
# they are installed.
run: deps
	@$(MAKE) --no-print-directory all
	./$(VMVIZ)

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; ./$$t; done

golden: $(VMVIZ)
	@bash tests/golden.sh $(VMVIZ)
	@bash tests/trace_golden.sh $(VMVIZ)
	@bash tests/smaps_compare.sh $(VMVIZ)

screen: $(VMVIZ) $(BUILD)/tests/tool_ansi2svg
	@bash tests/screen_selftest.sh $(BUILD)/tests/tool_ansi2svg
	@bash tests/screen.sh $(VMVIZ)
	@bash tests/screen_compare.sh $(VMVIZ)
	@bash tests/screen_keys.sh $(VMVIZ)
	@bash tests/screen_habits.sh $(VMVIZ)
	@bash tests/screen_slides.sh $(VMVIZ) $(BUILD)/tests/tool_ansi2svg
	@bash tests/screen_look.sh $(VMVIZ)
	@bash tests/screen_refs.sh $(VMVIZ)
	@bash tests/screen_randkeys.sh $(VMVIZ)

# Static analysis: no warnings allowed.
lint:
	cppcheck --enable=warning,style,performance --error-exitcode=1 --inline-suppr -q \
		-Isrc -Iui -Itests src ui $(wildcard tests/*.c tests/diff/*.c)

test: test-deps
	@$(MAKE) --no-print-directory all lint unit golden diff soak-short screen record-test install-test
	@echo "all tests passed"

# vmviz record on each of tests/progs and /bin/ls, checked by vmviz run --check.
record-test: $(VMVIZ) $(RECORD_LIB) $(PROG_BIN)
	@bash tests/record.sh $(BUILD)
	@bash tests/attach.sh $(BUILD)

# make install into a temporary folder, use it from elsewhere, uninstall.
install-test: $(VMVIZ)
	@bash tests/install.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
		OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" \
		unit golden diff soak-short screen record-test

bench: all $(BENCH_BIN) $(PROG_BIN)
	@set -e; for b in $(BENCH_BIN); do ./$$b; done
	@bash tests/record_bench.sh $(BUILD)

# libFuzzer + ASan + UBSan (clang; not in make test), one target at a time:
#   make fuzz FUZZ_TARGET=commands|trace|cli|keys FUZZ_SECONDS=600
# commands: the command language and the engine; trace: the trace reader
# (plain, gzip, xz) and the replay; cli: the command line and a scenario's
# "# options:" line; keys: keys at the screen, readline behind them. The corpus grows in $(BUILD)/fuzz/corpus-TARGET, a
# crash lands in $(BUILD)/fuzz/ (rerun: ./$(BUILD)/fuzz/fuzz_TARGET FILE).
# FUZZ_FLAGS="-jobs=1 -workers=1" runs it in the background of libFuzzer,
# logging to $(BUILD)/fuzz/fuzz-0.log.
FUZZ_TARGET  ?= commands
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_DIR      = $(BUILD)/fuzz
FUZZ_CC       = clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc -Iui
FUZZ_MAX_LEN_commands = 4096
FUZZ_MAX_LEN_trace    = 8192
FUZZ_MAX_LEN_cli      = 1024
FUZZ_MAX_LEN_keys     = 2048
FUZZ_DICT_commands    = -dict=$(abspath tests/fuzz.dict)
FUZZ_DICT_cli         = -dict=$(abspath tests/fuzz_cli.dict)
FUZZ_DICT_keys        = -dict=$(abspath tests/fuzz_keys.dict)
# readline 8.2 itself leaks the undo text of vi-mode edits (bounded by
# prompt.c's count limit): keys looks for crashes, not leaks.
FUZZ_OPTS_keys        = -detect_leaks=0

$(FUZZ_DIR)/fuzz_commands: tests/fuzz_commands.c $(ENGINE_SRC) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -Wl,--wrap=vm_new -o $@ $< $(ENGINE_SRC) -lz -llzma -lm

$(FUZZ_DIR)/fuzz_trace: tests/fuzz_trace.c $(ENGINE_SRC) $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -o $@ $< $(ENGINE_SRC) -lz -llzma -lm

$(FUZZ_DIR)/fuzz_cli: tests/fuzz_cli.c ui/cli.c ui/catalog.c $(ENGINE_SRC) $(wildcard src/*.h) ui/cli.h ui/ui.h ui/catalog.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -o $@ $< ui/cli.c ui/catalog.c $(ENGINE_SRC) -lz -llzma -lm

UI_LIB_SRC = $(filter-out ui/main.c,$(UI_SRC))
$(FUZZ_DIR)/fuzz_keys: tests/fuzz_keys.c $(UI_LIB_SRC) $(ENGINE_SRC) $(wildcard src/*.h ui/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(UI_CFLAGS) -Wl,--wrap=vm_new -Wl,--wrap=term_suspend -o $@ $< $(UI_LIB_SRC) $(ENGINE_SRC) $(UI_LIBS) -lz -llzma -lm

fuzz: $(FUZZ_DIR)/fuzz_$(FUZZ_TARGET)
	@bash tests/fuzz_seeds.sh $(FUZZ_TARGET) $(FUZZ_DIR)/seeds-$(FUZZ_TARGET)
	@mkdir -p $(FUZZ_DIR)/corpus-$(FUZZ_TARGET)
	cd $(FUZZ_DIR) && VMVIZ_SRC=$(CURDIR) $(abspath $(FUZZ_DIR))/fuzz_$(FUZZ_TARGET) -max_total_time=$(FUZZ_SECONDS) \
		-max_len=$(FUZZ_MAX_LEN_$(FUZZ_TARGET)) $(FUZZ_DICT_$(FUZZ_TARGET)) \
		-artifact_prefix=$(abspath $(FUZZ_DIR))/ -print_final_stats=1 $(FUZZ_OPTS_$(FUZZ_TARGET)) $(FUZZ_FLAGS) \
		$(abspath $(FUZZ_DIR)/corpus-$(FUZZ_TARGET) $(FUZZ_DIR)/seeds-$(FUZZ_TARGET))

# Soaks: random scripts, every byte read back checked against a shadow,
# `vmviz run --check` (tests/soak.sh). soak-short is part of make test;
# soak runs 1,000,000 operations a seed (SOAK_OPS), a few minutes each,
# then SOAK_KEYS random key sequences at each screen (screen_randkeys.sh).
SOAK_OPS ?= 1000000
SOAK_KEYS ?= 5000
soak-short: $(VMVIZ) $(BUILD)/tests/soak_gen
	@bash tests/soak.sh $(VMVIZ) $(BUILD)/tests/soak_gen 20000 "1 x86_64 clock" "2 x86 lru"

soak: $(VMVIZ) $(BUILD)/tests/soak_gen
	@bash tests/soak.sh $(VMVIZ) $(BUILD)/tests/soak_gen $(SOAK_OPS) \
		"11 x86_64 clock" "12 x86_64 lru" "13 x86_64 fifo" "14 x86 clock"
	@RANDKEYS=$(SOAK_KEYS) RANDKEYS_SEED=$${RANDKEYS_SEED:-7} bash tests/screen_randkeys.sh $(VMVIZ)

screenshots: all $(PROG_BIN)
	@bash tests/screenshots.sh $(VMVIZ)

SCENARIO_DIR = $(PREFIX)/share/vmviz/scenarios
INSTALLED = $(DESTDIR)$(PREFIX)/bin/vmviz $(DESTDIR)$(PREFIX)/share/man/man1/vmviz.1 \
	$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vmviz \
	$(DESTDIR)$(PREFIX)/lib/vmviz/libvmviz-record.so \
	$(addprefix $(DESTDIR)$(SCENARIO_DIR)/,$(notdir $(wildcard scenarios/*.vmm)))

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SCENARIO_DIR) $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/lib/vmviz
	install -m 755 $(VMVIZ) $(DESTDIR)$(PREFIX)/bin/vmviz
	install -m 644 $(RECORD_LIB) $(DESTDIR)$(PREFIX)/lib/vmviz/libvmviz-record.so
	install -m 644 scenarios/*.vmm $(DESTDIR)$(SCENARIO_DIR)/
	install -m 644 vmviz.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmviz.1
	install -m 644 ui/completion.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/vmviz

# Removes what install put there; with DESTDIR (a staging folder) also the
# folders it made, so the folder is left as it was.
uninstall:
	rm -f $(INSTALLED)
	-rmdir $(DESTDIR)$(SCENARIO_DIR) $(DESTDIR)$(PREFIX)/share/vmviz $(DESTDIR)$(PREFIX)/lib/vmviz 2>/dev/null
	@if [ -n "$(DESTDIR)" ]; then for d in bin lib share/man/man1 share/bash-completion/completions; do \
		(cd "$(DESTDIR)/" && rmdir -p --ignore-fail-on-non-empty "$$(echo '$(PREFIX)/'$$d | sed 's|^/*||')" 2>/dev/null) || true; \
	done; fi

clean:
	rm -rf build build-asan
