#!/usr/bin/env bash
# record.sh - vmviz record on the programs of tests/progs and on /bin/ls:
# each scenario must pass vmviz run --check (its expect lines hold the real
# addresses, VSZ, RSS and faults); bad input must get one line and a
# non-zero exit. Usage: record.sh BUILD_DIR (make record-test, in make test).
set -uo pipefail
BUILD=${1:-build}
VMVIZ=$BUILD/vmviz
PROGS=$BUILD/tests/progs
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL record: $*"; fail=$((fail + 1)); }

# The recordings kept in tests/record/ (made here by vmviz record, Debian 12,
# glibc 2.36, kernel 6.18) must pass on any machine.
for f in tests/record/*.vmm; do
	"$VMVIZ" run --check "$f" >"$TMP/kept.out" 2>&1 && ok ||
		no "$f: $(grep -m3 -E '^(error|invariant)' "$TMP/kept.out")"
done

# Recording needs ASLR off by personality(2) and an 8 MiB stack limit (the
# mmap area's place): otherwise one line and nothing compared.
if ! setarch -R true 2>/dev/null; then
	echo "record: SKIPPED: personality(ADDR_NO_RANDOMIZE) does not work here (setarch -R fails)"
	exit 0
fi
if [ "$(ulimit -s)" != 8192 ]; then
	echo "record: SKIPPED: the stack limit is $(ulimit -s) KiB, not 8192: mappings would land elsewhere"
	exit 0
fi

# A recorded scenario passes when vmviz agrees with the real process.
check() { # NAME PROG [ARGS...]
	local name=$1 out
	shift
	out=$("$VMVIZ" record -o "$TMP/$name.vmm" "$@" 2>&1 >/dev/null)
	local rc=$?
	if [ "$rc" -eq 77 ]; then
		echo "record: SKIPPED: $out"
		exit 0
	fi
	[ "$rc" -eq 0 ] && ok || { no "$name: record exited $rc: $out"; return; }
	local expects
	expects=$(grep -c '^expect' "$TMP/$name.vmm")
	[ "$expects" -ge 3 ] && ok || no "$name: only $expects expect lines"
	"$VMVIZ" run --check "$TMP/$name.vmm" >"$TMP/$name.out" 2>&1 && ok ||
		no "$name: vmviz run --check: $(grep -m3 -E '^(error|invariant)' "$TMP/$name.out")"
	[ "$(grep -c '^ok:' "$TMP/$name.out")" -eq "$expects" ] && ok ||
		no "$name: $expects expects, $(grep -c '^ok:' "$TMP/$name.out") held"
}

check demo "$PROGS/demo"
check malloc "$PROGS/rec_malloc"
check calloc "$PROGS/rec_calloc"
check fork "$PROGS/rec_fork"
check mmap "$PROGS/rec_mmap"
check threads "$PROGS/rec_threads"
check ls /bin/ls /
check busy "$PROGS/rec_busy" 150
# --every N: numbers at checkpoints only; addresses still after every call.
check calloc-every3 --every 3 "$PROGS/rec_calloc"
check ls-every8 --every 8 /bin/ls /
grep -q '^# numbers at every 8-th allocator call' "$TMP/ls-every8.vmm" && ok || no "--every 8 is not said"
[ "$(grep -c '^expect p[0-9]* == 0x' "$TMP/ls-every8.vmm")" -eq "$(grep -c '^expect p[0-9]* == 0x' "$TMP/ls.vmm")" ] &&
	ok || no "--every 8 lost address expects"

# Unchanged numbers are noticed without a system call (a perf ring of
# faults and mappings) where the kernel allows it; with it turned off
# (VMVIZ_RECORD_PERF=0) every call is measured. Both must write the same
# scenario (but for comments and the children's pids in captions).
same_as_measured() { # NAME PROG [ARGS...]
	local name=$1
	shift
	VMVIZ_RECORD_PERF=0 "$VMVIZ" record -o "$TMP/$name-measured.vmm" "$@" >/dev/null 2>&1 ||
		{ no "$name: record with VMVIZ_RECORD_PERF=0 failed"; return; }
	grep -q '^# numbers after every call; each measured' "$TMP/$name-measured.vmm" && ok ||
		no "$name: VMVIZ_RECORD_PERF=0 did not turn the perf ring off"
	if ! grep -q '^# numbers after every call; unchanged ones noticed by a perf ring' "$TMP/$name.vmm"; then
		echo "record: note: no perf events here: the recorder measures every call (slow)"
		return
	fi
	diff <(grep -v '^#' "$TMP/$name-measured.vmm" | sed 's/[0-9][0-9]*/N/g') \
		<(grep -v '^#' "$TMP/$name.vmm" | sed 's/[0-9][0-9]*/N/g') >/dev/null &&
		diff <(grep '^expect' "$TMP/$name-measured.vmm") <(grep '^expect' "$TMP/$name.vmm") >"$TMP/$name.diff" && ok ||
		no "$name: the perf ring's recording differs from measuring every call: $(head -4 "$TMP/$name.diff")"
}
same_as_measured busy "$PROGS/rec_busy" 150
same_as_measured ls /bin/ls /
same_as_measured fork "$PROGS/rec_fork"

# With debug info (tests/progs are built with -g) each call's caption names
# its source line, found by addr2line; /bin/ls has none: no names.
line_of() { grep -n -m1 -F "$2" "tests/progs/$1" | cut -d: -f1; }
if command -v addr2line >/dev/null; then
	grep -q "^say \"rec_malloc.c:$(line_of rec_malloc.c 'malloc(1000)'): malloc(1000) = 0x5555555592a0" "$TMP/malloc.vmm" &&
		grep -q "^say \"rec_malloc.c:$(line_of rec_malloc.c 'free(big)'): free(p3)\"" "$TMP/malloc.vmm" && ok ||
		no "malloc: no caption naming rec_malloc.c's line: $(grep -m2 '^say "rec' "$TMP/malloc.vmm")"
	grep -q "^say \"rec_calloc.c:$(line_of rec_calloc.c 'b = realloc(b, 40)'): realloc(p[0-9]*, 40)" "$TMP/calloc.vmm" && ok ||
		no "calloc: no caption naming the realloc's line"
	grep -q "^say \"rec_busy.c:$(line_of rec_busy.c 'keep[k] = malloc(n)'): malloc(" "$TMP/busy.vmm" && ok ||
		no "busy: no caption on the calls logged short"
	! grep -q '^say "[a-z_]*\.c:[0-9]' "$TMP/ls.vmm" && ok || no "ls: a caption named a line without debug info"
else
	echo "record: note: no addr2line (binutils): captions without source lines are not checked"
fi

# What each scenario must contain, beyond passing.
grep -q '^p1 = malloc(1000)$' "$TMP/malloc.vmm" && ok || no "malloc: no 'p1 = malloc(1000)'"
grep -q '^expect p1 == 0x5555555592a0$' "$TMP/malloc.vmm" && ok || no "malloc: p1's address"
grep -q '^touch 0x555555559000 ' "$TMP/malloc.vmm" && ok || no "malloc: the memset between calls is no touch"
grep -q '^p[0-9]* = calloc(10, 100)$' "$TMP/calloc.vmm" && ok || no "calloc: no calloc line"
grep -q '^p[0-9]* = realloc(p[0-9]*, 1500)$' "$TMP/calloc.vmm" && ok || no "calloc: no realloc line"
grep -q '^child1 = fork()$' "$TMP/fork.vmm" && grep -q '^proc child1$' "$TMP/fork.vmm" && ok ||
	no "fork: the child is not followed"
grep -q '^m1 = mmap(8388608, rw)$' "$TMP/mmap.vmm" && ok || no "mmap: no 'm1 = mmap(8388608, rw)'"
grep -q '^m2 = mremap(' "$TMP/mmap.vmm" && grep -q '^mprotect 0x' "$TMP/mmap.vmm" && ok || no "mmap: mremap, mprotect"
# the file mapping as a command, at the address the kernel chose: run --check
# above holds its expect
grep -q '^m3 = mmap(4096, r, "/etc/passwd")$' "$TMP/mmap.vmm" && grep -q '^expect m3 == 0x' "$TMP/mmap.vmm" && ok ||
	no "mmap: the file mapping is not 'm3 = mmap(4096, r, \"/etc/passwd\")' with its expect"
grep -q '^# thread [0-9a-f]*: its calls are not recorded' "$TMP/threads.vmm" && ok || no "threads: the skipped thread"

# A crash: the scenario up to it, the signal named, exit 1.
err=$("$VMVIZ" record -o "$TMP/crash.vmm" "$PROGS/rec_crash" 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 1 ] && grep -q 'died of SIGSEGV' <<<"$err" && [ "$(wc -l <<<"$err")" -eq 1 ] && ok ||
	no "crash: exit $rc, said: $err"
grep -q 'died here of signal 11' "$TMP/crash.vmm" && grep -q '^p2 = malloc(70000)$' "$TMP/crash.vmm" && ok ||
	no "crash: the scenario does not end at the crash"
"$VMVIZ" run --check "$TMP/crash.vmm" >/dev/null 2>&1 && ok || no "crash: its scenario does not pass"

# Bad input: one line, exit 2, no scenario written.
bad() { # WHAT PATTERN ARGS...
	local what=$1 pattern=$2
	shift 2
	local err rc
	err=$(cd "$TMP" && "$OLDPWD/$VMVIZ" record "$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q "$pattern" <<<"$err" && ok ||
		no "$what: exit $rc, said: $err"
}
bad "missing program" "no program 'no-such-program-here' in PATH" no-such-program-here
bad "static program" "statically linked (no PT_INTERP): LD_PRELOAD cannot work" "$PWD/$PROGS/rec_static"
cp /bin/true "$TMP/suid-true" && chmod u+s "$TMP/suid-true"
bad "setuid program" "is setuid or setgid" "$TMP/suid-true"
printf '#!/bin/sh\ntrue\n' >"$TMP/script.sh" && chmod +x "$TMP/script.sh"
bad "script" "is a script" "$TMP/script.sh"
bad "no program" "which program" -o x.vmm
bad "unknown option" "unknown option '--frobnicate'" --frobnicate /bin/true
bad "bad --every" "bad --every '0'" --every 0 /bin/true
[ ! -e "$TMP/x.vmm" ] && ok || no "a refused record wrote a file"

echo "record: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
