#!/bin/bash
# sanity.sh - checks that diff_probe measures the student's program and not
# itself: its maps at the baseline equal a trivial program's at main() (so
# the heap and the mmap area start where they would), it never mallocs on
# its own, a step's numbers are exactly the step's, and two runs of one
# sequence print the same thing.
# Then it checks the comparer: a recorded sequence the given vmviz agrees
# with, and the same with one real number changed, which must be caught at
# that step and no other.
# Usage: sanity.sh BUILD_DIR [VMVIZ]   (needs diff_probe, diff_trivial,
# diff_gen; VMVIZ defaults to BUILD_DIR/vmviz)
set -u
build=${1:-build}
probe=$build/tests/diff_probe trivial=$build/tests/diff_trivial gen=$build/tests/diff_gen
vmviz=${2:-$build/vmviz}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # NAME CONDITION-STATUS [DETAIL]
	if [ "$2" = 0 ]; then echo "ok: $1"; else echo "FAIL: $1${3:+: $3}"; fails=$((fails + 1)); fi
}
ulimit -s 8192

# 1. Baseline maps = a trivial program's, but for the program's own name
# and inode. Both are started the same way (same environment, same argv
# length class), so even [stack] must match.
normalize() { awk '{ if ($6 ~ /diff_(probe|trivial)$/) { $5 = "INODE"; $6 = "PROGRAM" } print }'; }
setarch -R "$trivial" | normalize >"$tmp/trivial"
: >"$tmp/empty"
setarch -R "$probe" "$tmp/empty" >"$tmp/probe-empty"
sed -n 's/^# maps0 //p' "$tmp/probe-empty" | normalize >"$tmp/probe"
diff "$tmp/trivial" "$tmp/probe" >"$tmp/d1"
check "the probe's maps at its baseline equal a trivial program's at main()" $? "$(cat "$tmp/d1")"

# 2. The probe never mallocs: no [heap] without a malloc in the script,
# and nothing it does between steps shows up as a fault or a page.
printf 'm = mmap(64K, rw)\nx = m[100]\ntouch m 64K\nmunmap m+8192 8K\nn = mmap(8K, rw)\n' >"$tmp/nomalloc.vmm"
setarch -R "$probe" "$tmp/nomalloc.vmm" >"$tmp/nomalloc.out"
! grep -q '^# maps1 .*\[heap\]' "$tmp/nomalloc.out"
check "no [heap] after a script without malloc" $?
grep -q '^# maps1 .*\[heap\]' "$tmp/probe-empty"
[ $? = 1 ] && grep -q '^# maps0 .*\[heap\]' "$tmp/probe-empty"
[ $? = 1 ]
check "no [heap] after an empty script" $?
# Exact, known facts (LINUX-FACTS.md): a fresh mapping costs nothing; a
# read maps the zero page (1 fault, no RSS); a touch is one fault a page;
# munmap gives back what it unmapped.
want='m = mmap(64K, rw)
expect vsz - vsz0 == 64K
expect rss - rss0 == 0K
expect minflt - min0 == 0
x = m[100]
expect x == 0
expect vsz - vsz0 == 64K
expect rss - rss0 == 0K
expect minflt - min0 == 1
touch m 64K
expect vsz - vsz0 == 64K
expect rss - rss0 == 64K
expect minflt - min0 == 17
munmap m+8192 8K
expect vsz - vsz0 == 56K
expect rss - rss0 == 56K
expect minflt - min0 == 17'
got=$(grep -v -e '^#' -e '^expect m ==' "$tmp/nomalloc.out" | sed -n '/^m = mmap/,/^n = mmap/p' | sed '$d')
[ "$got" = "$want" ]
check "a step's numbers are exactly the step's (mmap, zero-page read, touch, munmap)" $? "$(diff <(echo "$want") <(echo "$got"))"

# 3. Two runs of the same sequence print the same thing.
same=0
for s in 1 2 3 4 5 6 7 8; do
	"$gen" $s --ops extended >"$tmp/seq.vmm"
	setarch -R "$probe" "$tmp/seq.vmm" >"$tmp/a"
	setarch -R "$probe" "$tmp/seq.vmm" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" || same=1
done
check "two runs of the same sequence print the same (8 extended sequences)" $same

# 4. Without setarch it turns ASLR off by itself (re-executes).
"$probe" "$tmp/nomalloc.vmm" | grep -v '^# maps' >"$tmp/c"
grep -v '^# maps' "$tmp/nomalloc.out" | cmp -s - "$tmp/c"
check "the probe turns ASLR off by itself" $?

# 5. The comparer sees a difference where there is one, and only there.
seq=$here/recorded/heap-trim.vmm
if bash "$here/compare.sh" --vmviz "$vmviz" --results "$tmp/r0" "$seq" >/dev/null; then
	# step 3 (touch a): one page more than the real process had
	awk '/^touch a$/ { t = 1 } t && /^expect rss - rss0 == / { sub(/108K$/, "112K"); t = 0 } { print }' "$seq" >"$tmp/heap-trim-wrong.vmm"
	bash "$here/compare.sh" --vmviz "$vmviz" --results "$tmp/r1" "$tmp/heap-trim-wrong.vmm" >/dev/null
	r=$(awk '$1 == "R" { print $4, $5, $9 }' "$tmp/r1")
	[ "$r" = "3 rss/minflt@touch rss:6/7" ]
	check "the comparer catches one wrong number at its step, and only there" $? "got '$r'"
else
	echo "skip: the comparer check ($vmviz disagrees with $seq already)"
fi

[ $fails = 0 ] && echo "probe sanity: all checks passed" || echo "probe sanity: $fails check(s) FAILED"
exit $((fails > 0))
