#!/bin/bash
# run.sh - the differential harness: vmviz against a real process.
#  (a) live, where the probe can measure (x86-64, glibc 2.36, ASLR can be
#      turned off): generates sequences, runs them for real with diff_probe,
#      compares vmviz with what the process saw;
#  (b) always: compares vmviz with the recorded sequences in
#      tests/diff/recorded/ (measured on Debian 12, glibc 2.36, kernel 6.18).
# Usage: run.sh [--vmviz PATH] [--seeds A-B] [--ops basic|extended] [--steps N]
#               [--recorded-only | --live-only] [--keep DIR] [-v]
#               [--maps-every-step]   live: compare /proc/PID/maps after each step
#        run.sh --record [--seeds A-B]   rewrites tests/diff/recorded/
# Exit 0 when every compared sequence agrees with the real process.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
vmviz=$build/vmviz seeds=1-200 ops=basic mode=both keep= verbose= record=0 every= steps=30
while [ $# -gt 0 ]; do
	case $1 in
	--vmviz) vmviz=$2; shift 2 ;;
	--seeds) seeds=$2; shift 2 ;;
	--ops) ops=$2; shift 2 ;;
	--steps) steps=$2; shift 2 ;;
	--recorded-only) mode=recorded; shift ;;
	--live-only) mode=live; shift ;;
	--keep) keep=$2; shift 2 ;;
	--maps-every-step) every=-m; shift ;;
	--record) record=1; mode=live; shift ;;
	-v) verbose=-v; shift ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
first=${seeds%-*} last=${seeds#*-}
probe=$build/tests/diff_probe gen=$build/tests/diff_gen

# Why live measuring is impossible here, or nothing.
live_blocker() {
	[ "$(uname -m)" = x86_64 ] || { echo "not x86-64"; return; }
	local v
	v=$(getconf GNU_LIBC_VERSION 2>/dev/null)
	[ "$v" = "glibc 2.36" ] || { echo "libc is '${v:-not glibc}', not glibc 2.36"; return; }
	setarch -R true 2>/dev/null || { echo "setarch -R (ASLR off) is not allowed here"; return; }
	[ -x "$probe" ] && [ -x "$gen" ] || { echo "probe not built (make diff-tools)"; return; }
	[ "$(ulimit -s)" = 8192 ] || ulimit -s 8192 2>/dev/null ||
		{ echo "the stack limit is $(ulimit -s), not 8 MiB (it moves the mmap base)"; return; }
	# vmviz models this machine's process at main(): where ld.so puts libc
	# depends on the size of /etc/ld.so.cache, among others. Elsewhere the
	# live numbers would differ for a reason the engine does not model.
	local real model
	real=$(setarch -R "$build/tests/diff_trivial" 2>/dev/null | awk '{print $1, $2}')
	model=$(echo maps | "$vmviz" run - 2>/dev/null | awk '/^[0-9a-f]+-[0-9a-f]+ /{print $1, $2}')
	[ -n "$real" ] && [ "$real" = "$model" ] ||
		{ echo "a process here does not start with the layout vmviz models (libraries elsewhere: $(printf '%s\n' "$real" | grep -m1 -v '^5555' | cut -d' ' -f1) here)"; return; }
}

status=0
if [ "$mode" != recorded ]; then
	why=$(live_blocker)
	if [ -n "$why" ]; then
		[ "$mode" = live ] && { echo "live: SKIPPED: $why (and --live-only: nothing compared)"; exit 2; }
		echo "live: SKIPPED: $why; comparing the recorded sequences only"
	else
		ulimit -s 8192
		bash "$here/sanity.sh" "$build" "$vmviz" >"${TMPDIR:-/tmp}/diff-sanity.$$" ||
			{ cat "${TMPDIR:-/tmp}/diff-sanity.$$"; echo "live: the probe's own checks failed: its numbers cannot be trusted"; status=1; }
		rm -f "${TMPDIR:-/tmp}/diff-sanity.$$"
		if [ "$record" = 1 ]; then dir=$here/recorded; else dir=${keep:-$(mktemp -d)}; fi
		mkdir -p "$dir"
		files=()
		for ((s = first; s <= last; s++)); do
			f=$(printf '%s/seed-%04d.vmm' "$dir" "$s")
			[ "$ops" = extended ] && f=${f%.vmm}-ext.vmm
			[ "$steps" != 30 ] && f=${f%.vmm}-$steps.vmm
			"$gen" "$s" --ops "$ops" --steps "$steps" | setarch -R "$probe" $every >"$f" ||
				{ echo "live: the probe failed on seed $s ($f)"; status=1; continue; }
			files+=("$f")
		done
		if [ "$record" = 1 ]; then
			for h in "$here"/cases/*.vmm; do
				setarch -R "$probe" "$h" >"$here/recorded/$(basename "$h")" || status=1
			done
			echo "recorded ${#files[@]} sequences and $(ls "$here"/cases/*.vmm | wc -l) cases in $here/recorded"
			exit $status
		fi
		bash "$here/compare.sh" --vmviz "$vmviz" --label "live (seeds $seeds, $ops, $steps steps)" $verbose "${files[@]}" || status=1
		[ -z "$keep" ] && rm -rf "$dir"
	fi
fi
if [ "$mode" != live ]; then
	bash "$here/compare.sh" --vmviz "$vmviz" --label "recorded" $verbose "$here"/recorded/*.vmm || status=1
fi
exit $status
