#!/usr/bin/env bash
# record_bench.sh - how much vmviz record slows a malloc-heavy program
# (tests/progs/rec_busy.c): the same run under setarch -R, with and without
# libvmviz-record.so (its log read by cat, thrown away): numbers after every
# call (the default), and with vmviz record --every 64 (numbers at every 64th
# allocator call, addresses always). Budget: 3x, for --every 64.
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
run_rec() { # EVERY
	best bash -c 'VMVIZ_RECORD_FD=9 VMVIZ_RECORD_EVERY=$4 LD_PRELOAD=$1 setarch -R "$2" "$3" 9> >(cat >/dev/null)' \
		_ "$LIB" "$PROG" "$ROUNDS" "$1"
}
every1=$(run_rec 1) || { echo "bench: recording failed"; exit 1; }
every64=$(run_rec 64) || { echo "bench: recording failed"; exit 1; }
[ "$plain" -gt 0 ] || plain=1
r1=$(awk -v a="$every1" -v b="$plain" 'BEGIN { printf "%.1f", a / b }')
r64=$(awk -v a="$every64" -v b="$plain" 'BEGIN { printf "%.1f", a / b }')
echo "record: $ROUNDS malloc+free rounds: ${plain} ms plain; recorded ${every1} ms (${r1}x) with numbers after every call, ${every64} ms (${r64}x) with --every 64 (budget 3x)"
awk -v r="$r64" 'BEGIN { exit !(r <= 3) }'
