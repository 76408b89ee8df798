#!/usr/bin/env bash
# trace_golden.sh - `vmviz trace` end to end: exact tables, formats, bad lines, exit codes.
# Usage: tests/trace_golden.sh path/to/vmviz   (exits non-zero on the first failure)
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 VMVIZ" >&2; exit 2; }
[ -x "$1" ] || { echo "trace golden: $1 is not an executable" >&2; exit 2; }
VMVIZ=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 2
T=tests/traces
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run NAME EXPECTED_STATUS ARGS... : output in $TMP/out, $TMP/err
run() {
	local name=$1 want=$2
	shift 2
	"$VMVIZ" trace "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	local got=$?
	[ "$got" -eq "$want" ] || fail "$name: exit $got, expected $want ($(head -c 300 "$TMP/err"))"
}

# same FILE TEXT NAME : FILE must hold exactly TEXT (nothing at all if TEXT is empty)
same() {
	if [ -z "$2" ]; then
		[ ! -s "$1" ] || fail "$3: expected nothing, got: $(head -c 300 "$1")"
	elif ! diff -u <(printf '%s\n' "$2") "$1" >"$TMP/diff"; then
		fail "$3: output differs"
		cat "$TMP/diff" >&2
	fi
}

run classic 0 $T/classic.txt --frames 3
same "$TMP/out" "tests/traces/classic.txt: 20 accesses, 6 distinct pages (page numbers)
policy  frames  accesses  faults    hit%
fifo         3        20      15   25.00
lru          3        20      12   40.00
clock        3        20      14   30.00
opt          3        20       9   55.00" classic
same "$TMP/err" "" "classic stderr"

run belady 0 $T/belady.txt --policy fifo --frames 4,3
same "$TMP/out" "tests/traces/belady.txt: 12 accesses, 5 distinct pages (page numbers)
policy  frames  accesses  faults    hit%
fifo         3        12       9   25.00
fifo         4        12      10   16.67" belady

run hex 0 $T/classic.hex --frames=3 --policy lru,opt
same "$TMP/out" "tests/traces/classic.hex: 20 accesses, 6 distinct pages (hex addresses, 4096-byte pages)
policy  frames  accesses  faults    hit%
lru          3        20      12   40.00
opt          3        20       9   55.00" hex

run gzip 0 $T/classic.txt.gz --frames 3 --policy opt
same "$TMP/out" "tests/traces/classic.txt.gz: 20 accesses, 6 distinct pages (page numbers)
policy  frames  accesses  faults    hit%
opt          3        20       9   55.00" gzip

# A real lackey trace, plain from a file and xz through stdin: same table.
run lackey 0 $T/ls-lackey.txt --frames 4,16
tail -n +2 "$TMP/out" >"$TMP/lackey-plain"
grep -q '^tests/traces/ls-lackey.txt: 2000 accesses, .* (valgrind lackey, 4096-byte pages)$' "$TMP/out" ||
	fail "lackey: header line: $(head -1 "$TMP/out")"
[ "$(wc -l <"$TMP/lackey-plain")" -eq 9 ] || fail "lackey: expected 8 rows"
"$VMVIZ" trace - --frames 4,16 <$T/ls-lackey.txt.xz >"$TMP/out" 2>"$TMP/err" || fail "lackey xz stdin: exit $?"
head -1 "$TMP/out" | grep -q '^<stdin>: 2000 accesses' || fail "lackey xz stdin: header"
tail -n +2 "$TMP/out" | diff -u "$TMP/lackey-plain" - >&2 || fail "lackey xz stdin: table differs"

# Page size: 64 KiB pages fold 16 of the 4 KiB pages into one.
run page-size 0 $T/classic.hex --frames 3 --page-size 64K --policy fifo
grep -q '20 accesses, 1 distinct pages (hex addresses, 65536-byte pages)' "$TMP/out" || fail "page-size"

run bad-skip 0 $T/bad-lines.txt --policy fifo
same "$TMP/err" "tests/traces/bad-lines.txt:3: expected a decimal page number
tests/traces/bad-lines.txt:5: expected a decimal page number
tests/traces/bad-lines.txt:8: page number too large
tests/traces/bad-lines.txt: skipped 3 bad lines" bad-skip
grep -q '^fifo .* 5 ' "$TMP/out" || fail "bad-skip: 5 accesses expected"

run bad-refuse 1 $T/bad-lines.txt --bad-lines refuse
same "$TMP/err" "tests/traces/bad-lines.txt:3: expected a decimal page number" bad-refuse
same "$TMP/out" "" "bad-refuse stdout"

run empty 0 $T/empty.txt --policy lru
same "$TMP/out" "tests/traces/empty.txt: 0 accesses, 0 distinct pages (unknown)
policy  frames  accesses  faults    hit%
lru         32         0       0       -" empty

run missing 1 $T/no-such-file
same "$TMP/err" "tests/traces/no-such-file: No such file or directory" missing

# Junk of every kind: the vmviz binary itself, a truncated gzip, huge numbers.
"$VMVIZ" trace "$VMVIZ" >/dev/null 2>"$TMP/err"
[ $? -le 1 ] || fail "binary junk: crashed"
head -c 60 $T/classic.txt.gz >"$TMP/cut.gz"
run truncated 1 "$TMP/cut.gz"
grep -q 'truncated gzip data' "$TMP/err" || fail "truncated: message"
printf '0x1000\n0x123456789abcdef01\n0xffffffffffffffff\n' >"$TMP/huge"
run huge 0 "$TMP/huge" --policy opt
grep -q ':2: address too large' "$TMP/err" || fail "huge: message"
grep -q '^opt .* 2 ' "$TMP/out" || fail "huge: 2 accesses expected"

run range 0 $T/classic.txt --frames 1..8
[ "$(grep -c '^\(fifo\|lru\|clock\|opt\) ' "$TMP/out")" -eq 32 ] || fail "range: expected 32 rows"
grep -q '^opt          8        20       6   70.00$' "$TMP/out" || fail "range: opt 8 frames"

run plot 0 $T/classic.txt --frames 1..8 --plot
grep -q '^   +-* frames$' "$TMP/out" || fail "plot: x axis"
grep -q '^20 |\*' "$TMP/out" || fail "plot: 20 faults with 1 frame, all policies"
grep -q 'F fifo  L lru  C clock  O opt  \* several' "$TMP/out" || fail "plot: legend"

run help 0 --help
head -1 "$TMP/out" | grep -q '^usage: vmviz trace FILE' || fail "help: usage line"

for bad in "--bogus" "--frames 0" "--frames 9..2" "--policy lfu" "--page-size 1000" "--bad-lines maybe" "-q"; do
	# shellcheck disable=SC2086
	run "option $bad" 2 $T/classic.txt $bad
	[ "$(grep -c '^vmviz trace: ' "$TMP/err")" -eq 1 ] || fail "option $bad: one error line"
	[ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "option $bad: nothing but the error line"
done
run no-file 2
run two-files 2 $T/classic.txt $T/belady.txt

if [ "$failures" -ne 0 ]; then
	echo "trace golden: $failures failure(s)" >&2
	exit 1
fi
echo "trace golden: all passed"
