#!/usr/bin/env bash
# record_bench.sh - how much vmviz record slows a malloc-heavy program
# (tests/progs/rec_busy.c: ROUNDS malloc+free pairs that also write their
# blocks). Each round runs the program plain and recorded, one right after
# the other and the same way: setarch -R (ASLR off, as vmviz record), env,
# the program; recorded, env adds LD_PRELOAD and the log's descriptor,
# appending to a fresh file, as vmviz record does. Times are of the whole
# process, start-up included: CPU (user + system, what the budget is
# checked on: the machine may be busy with other work, and a waiting
# program's wall time says nothing of the recorder) and wall.
# A slowdown is the median over RUNS rounds of recorded/plain of a round.
# Recorded three ways: the default (numbers after every call), the perf
# ring off (VMVIZ_RECORD_PERF=0: every call measured by system calls, what
# a kernel without perf events gets), and --every 64.
# Budget (issue 9): the default at most 3x. Usage: record_bench.sh BUILD_DIR
set -uo pipefail
BUILD=${1:-build}
PROG=$BUILD/tests/progs/rec_busy
LIB=$(realpath "$BUILD/libvmviz-record.so")
ROUNDS=${ROUNDS:-500000}
RUNS=${RUNS:-7}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
TIMEFORMAT='%R %U %S'
timed() { # "CPU WALL" in ms of: setarch -R env [VARS] PROG ROUNDS
	local t
	rm -f "$TMP/log"
	t=$({ time setarch -R env "$@" "$PROG" "$ROUNDS" 9>>"$TMP/log" 2>/dev/null; } 2>&1) || return 1
	awk -v t="$t" 'BEGIN { split(t, f, " "); printf "%.1f %.1f\n", (f[2] + f[3]) * 1000, f[1] * 1000 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratios() { # PLAIN RECORDED -> "cpu-ratio wall-ratio"
	awk -v p="$1" -v r="$2" 'BEGIN { split(p, a, " "); split(r, b, " "); printf "%.3f %.3f\n", b[1] / a[1], b[2] / a[2] }'
}
rec=(VMVIZ_RECORD_FD=9 "LD_PRELOAD=$LIB")
mode=
for _ in $(seq "$RUNS"); do
	p=$(timed) || { echo "bench: $PROG failed"; exit 1; }
	d=$(timed "${rec[@]}") || { echo "bench: recording failed"; exit 1; }
	mode=$(grep -m1 '^P ' "$TMP/log" | cut -d' ' -f2)
	n=$(timed "${rec[@]}" VMVIZ_RECORD_PERF=0) || { echo "bench: recording failed"; exit 1; }
	e=$(timed "${rec[@]}" VMVIZ_RECORD_EVERY=64) || { echo "bench: recording failed"; exit 1; }
	echo "$p" >>"$TMP/plain"
	ratios "$p" "$d" >>"$TMP/r1"
	ratios "$p" "$n" >>"$TMP/r0"
	ratios "$p" "$e" >>"$TMP/r64"
done
col() { cut -d' ' -f"$1" <"$2" | median; }
case $mode in
1) how="perf ring of faults and mappings" ;;
2) how="perf ring of user-mode faults only" ;;
*) how="no perf ring here: every call measured" ;;
esac
r1=$(col 1 "$TMP/r1")
printf 'record: %d malloc+free rounds, medians of %d runs: plain %.0f ms CPU (%.0f ms wall)\n' "$ROUNDS" "$RUNS" \
	"$(col 1 "$TMP/plain")" "$(col 2 "$TMP/plain")"
printf 'record: slowdown %.2fx CPU (%.2fx wall) recording every call, %s; budget 3x\n' "$r1" "$(col 2 "$TMP/r1")" "$how"
printf 'record: %.2fx CPU (%.2fx wall) with the perf ring off; %.2fx CPU (%.2fx wall) with --every 64\n' \
	"$(col 1 "$TMP/r0")" "$(col 2 "$TMP/r0")" "$(col 1 "$TMP/r64")" "$(col 2 "$TMP/r64")"
awk -v r="$r1" 'BEGIN { exit !(r <= 3) }'
