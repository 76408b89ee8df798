#!/usr/bin/env bash
# record_bench.sh - how much vmviz record slows a malloc-heavy program
# (tests/progs/rec_busy.c): the same run under setarch -R, with and without
# libvmviz-record.so (its log read by cat, thrown away). Budget: 3x.
set -uo pipefail
BUILD=${1:-build}
PROG=$BUILD/tests/progs/rec_busy
LIB=$BUILD/libvmviz-record.so
ROUNDS=${ROUNDS:-200000}
now() { date +%s%N; }
best() { # the fastest of 3 runs, in ms
	local b=0 t
	for _ in 1 2 3; do
		t=$(now)
		"$@" || return 1
		t=$((($(now) - t) / 1000000))
		[ "$b" -eq 0 ] || [ "$t" -lt "$b" ] && b=$t
	done
	echo "$b"
}
plain=$(best setarch -R "$PROG" "$ROUNDS") || { echo "bench: $PROG failed"; exit 1; }
rec=$(best bash -c 'VMVIZ_RECORD_FD=9 LD_PRELOAD=$1 setarch -R "$2" "$3" 9> >(cat >/dev/null)' _ "$LIB" "$PROG" "$ROUNDS") ||
	{ echo "bench: recording failed"; exit 1; }
[ "$plain" -gt 0 ] || plain=1
ratio=$(awk -v a="$rec" -v b="$plain" 'BEGIN { printf "%.2f", a / b }')
echo "record: $ROUNDS malloc+free rounds: ${plain} ms plain, ${rec} ms recorded: ${ratio}x (budget 3x)"
awk -v r="$ratio" 'BEGIN { exit !(r <= 3) }'
