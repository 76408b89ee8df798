#!/usr/bin/env bash
# Golden transcript test.
#
#   bash tests/golden.sh VMVIZ [FILE.vmm...]
#   UPDATE=1 bash tests/golden.sh VMVIZ        rewrite the expected files
#
# Runs every scenarios/*.vmm and tests/golden/*.vmm (or just the FILEs
# given) as `VMVIZ run --check OPTIONS FILE`, where OPTIONS is the file's
# `# options:` line, and compares standard output with the expected
# transcript:
#   scenarios/NAME.vmm     -> tests/golden/scenarios/NAME.out
#   tests/golden/NAME.vmm  -> tests/golden/NAME.out
# Every file must exit 0, except tests/golden/*-fails.vmm: those must exit 1,
# and their standard error is compared too, with tests/golden/NAME.err.
# Scenarios must also start with the header lecturers and `vmviz play` rely
# on (# title: English / 中文, # teaches:, # options:) and keep each English
# caption short enough for a 100-column screen.
# A mismatch prints a unified diff; the script exits 1 if anything failed.
set -u

if [ $# -lt 1 ]; then
	echo "usage: bash tests/golden.sh VMVIZ [FILE.vmm...]" >&2
	exit 2
fi
vmviz=$1
shift
case $vmviz in
*/*) vmviz="$(cd "$(dirname "$vmviz")" 2>/dev/null && pwd)/$(basename "$vmviz")" ;;
*) vmviz=$(command -v "$vmviz" || echo "$vmviz") ;;
esac
if [ ! -x "$vmviz" ]; then
	echo "golden: no vmviz binary at '$1' (run make first)" >&2
	exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
# FILE arguments may be relative to the caller's directory; make them
# relative to the repository, where the scripts run.
files=()
for a in "$@"; do
	case $a in
	/*) p=$a ;;
	*) p=$PWD/$a ;;
	esac
	if [ -d "$(dirname "$p")" ]; then
		p="$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"
	fi
	files+=("${p#"$root"/}")
done
cd "$root" || exit 2
# Transcripts are in English whatever the caller's locale.
export LC_ALL=C LANG=C LC_MESSAGES=C
unset NO_COLOR

update=${UPDATE:-0}
max_caption=90
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_limit=()
if command -v timeout >/dev/null 2>&1; then
	run_limit=(timeout 120)
fi

if [ $# -eq 0 ]; then
	files=(scenarios/*.vmm tests/golden/*.vmm)
fi

pass=0
fail=0
failed=()

# The expected-output path for a script (without the .out/.err suffix).
golden_base() {
	local f=$1 name
	name=$(basename "$f" .vmm)
	case $f in
	scenarios/*) echo "tests/golden/scenarios/$name" ;;
	*) echo "$(dirname "$f")/$name" ;;
	esac
}

# The words after "# options:" in the first 20 lines (what vmviz reads).
options_of() {
	head -n 20 "$1" | sed -n 's/^# options:[[:space:]]*//p' | head -n 1
}

# Scenario header and caption lint; prints problems, returns 1 if any.
lint_scenario() {
	local f=$1 bad=0 line1 n
	line1=$(head -n 1 "$f")
	if ! printf '%s\n' "$line1" | grep -q '^# title: .* / .*[^ ]$'; then
		echo "  $f:1: the first line must be '# title: English title / 中文标题'"
		bad=1
	fi
	if ! head -n 20 "$f" | grep -q '^# teaches: .'; then
		echo "  $f: no '# teaches: ...' line in the header"
		bad=1
	fi
	if ! head -n 20 "$f" | grep -q '^# options:'; then
		echo "  $f: no '# options:' line in the header (leave it empty if none are needed)"
		bad=1
	fi
	# English captions: the first quoted string of each say line.
	while IFS=: read -r n text; do
		echo "  $f:$n: English caption longer than $max_caption characters (${#text}): $text"
		bad=1
	done < <(awk -v max="$max_caption" '
		/^[[:space:]]*say[[:space:]]/ {
			s = $0
			sub(/^[[:space:]]*say[[:space:]]+(en[[:space:]]+)?"/, "", s)
			i = index(s, "\"")
			if (i > 0) s = substr(s, 1, i - 1)
			if (length(s) > max) print NR ":" s
		}' "$f")
	return $bad
}

# Compares $2 (actual) with $1 (expected), or rewrites $1 under UPDATE=1.
compare() {
	local expected=$1 actual=$2
	if [ "$update" = 1 ]; then
		mkdir -p "$(dirname "$expected")"
		if [ ! -f "$expected" ] || ! cmp -s "$expected" "$actual"; then
			cp "$actual" "$expected"
			echo "  updated $expected"
		fi
		return 0
	fi
	if [ ! -f "$expected" ]; then
		echo "  missing $expected (UPDATE=1 bash tests/golden.sh VMVIZ writes it)"
		return 1
	fi
	if ! diff -u --label "$expected" --label "actual" "$expected" "$actual"; then
		return 1
	fi
	return 0
}

for f in "${files[@]}"; do
	[ -f "$f" ] || { echo "FAIL $f: no such file"; fail=$((fail + 1)); failed+=("$f"); continue; }
	f=${f#./}
	base=$(golden_base "$f")
	read -r -a opts <<<"$(options_of "$f")"
	ok=1
	case $f in
	scenarios/*) lint_scenario "$f" || ok=0 ;;
	esac
	out="$tmp/out" err="$tmp/err"
	"${run_limit[@]}" "$vmviz" run --check "${opts[@]}" "$f" >"$out" 2>"$err"
	rc=$?
	case $(basename "$f") in
	*-fails.vmm) want=1 ;;
	*) want=0 ;;
	esac
	if [ "$rc" != "$want" ]; then
		echo "  $f: exit status $rc, expected $want"
		if [ -s "$err" ]; then
			sed 's/^/    /' "$err" | head -n 20
		fi
		ok=0
	fi
	compare "$base.out" "$out" || ok=0
	if [ "$want" = 1 ]; then
		compare "$base.err" "$err" || ok=0
	elif [ -s "$err" ] && [ "$rc" = 0 ]; then
		echo "  $f: exit 0 but wrote to standard error:"
		sed 's/^/    /' "$err" | head -n 20
		ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok   $f${opts[*]:+ (${opts[*]})}"
		pass=$((pass + 1))
	else
		echo "FAIL $f${opts[*]:+ (${opts[*]})}"
		fail=$((fail + 1))
		failed+=("$f")
	fi
done

# Expected files whose script is gone (only when running everything).
if [ $# -eq 0 ]; then
	for g in tests/golden/scenarios/*.out tests/golden/*.out tests/golden/*.err; do
		[ -f "$g" ] || continue
		name=$(basename "$g")
		name=${name%.*}
		case $g in
		tests/golden/scenarios/*) src=scenarios/$name.vmm ;;
		*) src=tests/golden/$name.vmm ;;
		esac
		[ -f "$src" ] && continue
		if [ "$update" = 1 ]; then
			rm -f "$g"
			echo "  removed $g (no $src)"
		else
			echo "FAIL $g: stale, $src does not exist (UPDATE=1 removes it)"
			fail=$((fail + 1))
			failed+=("$g")
		fi
	done
fi

# Into one pipe, an error's FILE:LINE line comes after its transcript lines.
merged=$(printf 'malocc 1\nps\n' | "$vmviz" run - 2>&1 | cat | sed -n 1,3p)
want=$(printf '%s\n' "> malocc 1" "error: unknown command 'malocc' (did you mean 'malloc'?)" \
	"<stdin>:1: unknown command 'malocc' (did you mean 'malloc'?)")
if [ "$merged" = "$want" ]; then
	pass=$((pass + 1))
else
	echo "FAIL stdout and stderr in one pipe are out of order:"
	printf '%s\n' "$merged"
	fail=$((fail + 1))
	failed+=("stdout/stderr order")
fi

# The command line: bad options get one line naming the problem, exit 2.
cli_case() { # WANT_STATUS WANT_STDERR_REGEX ARGS...
	local want=$1 re=$2 got err
	shift 2
	err=$(echo stats | "$vmviz" "$@" 2>&1 >/dev/null)
	got=$?
	if [ "$got" = "$want" ] && grep -Eq -- "$re" <<<"$err"; then
		pass=$((pass + 1))
	else
		echo "FAIL vmviz $*: exit $got (want $want), stderr: $err"
		fail=$((fail + 1))
		failed+=("cli: $*")
	fi
}
# The malformed-argument table: every mode, one line, exit 2; numbers are
# decimal everywhere (010 is ten, not eight), and an option a mode does not
# use is an error there.
NUM="expected a decimal number, optionally with K, M, G or T"
cli_case 2 "^vmviz: unknown option '--bogus'$" run - --bogus
cli_case 2 "^vmviz: option --frames needs a value$" run - --frames
cli_case 2 "^vmviz: bad --frames 'x': $NUM" run - --frames=x
cli_case 2 "^vmviz: bad --frames '0x10': $NUM" run - --frames 0x10
cli_case 2 "^vmviz: bad --frames '-5': $NUM" run - --frames -5
cli_case 2 "^vmviz: bad --tlb '-5': $NUM" run - --tlb=-5
cli_case 2 "^vmviz: bad --swap 'banana': $NUM" run - --swap banana
cli_case 2 "^vmviz: bad --frames '99999999999': $NUM" run - --frames 99999999999
cli_case 2 "^vmviz: bad --page-size '4x': $NUM" play --page-size 4x x.vmm
cli_case 2 "^vmviz: bad --lang 'fr': expected en or zh$" run - --lang fr
cli_case 2 "^vmviz: bad --arch 'foo': expected x86_64 or x86$" run - --arch foo
cli_case 2 "^vmviz: bad --policy 'lfu': expected fifo, lru or clock$" --policy lfu
cli_case 2 "^vmviz: bad --theme 'pink': expected default, contrast, light or mono$" play --theme pink x.vmm
cli_case 2 "^vmviz: --record does nothing in run: it is for the screen and play" run - --record x.cast
cli_case 2 "^vmviz: --trace does nothing in run: it is for play" run - --trace x.txt
cli_case 2 "^vmviz: --theme does nothing in run: it is for the screen and play$" run - --theme mono
cli_case 2 "^vmviz: --ascii does nothing in run: it is for the screen and play$" run - --ascii
cli_case 2 "^vmviz: --check does nothing in play: it is for run$" play --check x.vmm
cli_case 2 "^vmviz: --trace does nothing without a mode word: it is for play" --trace x.txt
cli_case 2 "^vmviz trace: --arch does nothing in trace" trace tests/traces/belady.txt --arch foo
cli_case 2 "^vmviz trace: --lang does nothing in trace" trace tests/traces/belady.txt --lang fr
cli_case 2 "^vmviz trace: --tlb does nothing in trace" trace tests/traces/belady.txt --tlb -5
cli_case 2 "^vmviz trace: bad --policy ',': expected fifo, lru, clock, opt or all" trace tests/traces/belady.txt --policy ,
cli_case 2 "^vmviz trace: bad --frames '0x3': expected N, A,B,C or A..B" trace tests/traces/belady.txt --frames 0x3
# 010 is ten in every mode
if echo stats | "$vmviz" --frames 010 run - | grep -q '^frames 10 ' &&
	"$vmviz" trace tests/traces/belady.txt --frames 010 --policy fifo | grep -Eq '^fifo +10 '; then
	pass=$((pass + 1))
else
	echo "FAIL --frames 010 is not ten frames in run and trace"
	fail=$((fail + 1))
	failed+=("cli: --frames 010")
fi
# A scenario's "# options:" line sets the machine and nothing else.
printf '# options: --help\necho never\n' >"$tmp/help-header.vmm"
cli_case 2 "^vmviz: $tmp/help-header.vmm:1: '# options:' may set only the machine" run "$tmp/help-header.vmm"
printf '# title: x\n# options: --frames 0x5\necho never\n' >"$tmp/num-header.vmm"
cli_case 2 "^vmviz: $tmp/num-header.vmm:2: bad --frames '0x5': $NUM" run "$tmp/num-header.vmm"
# (found by fuzz_cli: a stray word in the header did not say where it was)
printf '# options:zh-help\necho never\n' >"$tmp/word-header.vmm"
cli_case 2 "^vmviz: $tmp/word-header.vmm:1: unexpected argument 'zh-help'$" run "$tmp/word-header.vmm"
if "$vmviz" run "$tmp/help-header.vmm" 2>/dev/null | grep -q never; then
	echo "FAIL a scenario with '# options: --help' ran on"
	fail=$((fail + 1))
	failed+=("cli: # options: --help")
else
	pass=$((pass + 1))
fi
cli_case 0 "^$" --frames=12 --lang=zh run -
if echo stats | "$vmviz" --frames=12 run - | grep -q '^frames 12 '; then
	pass=$((pass + 1))
else
	echo "FAIL --frames=12 did not give 12 frames"
	fail=$((fail + 1))
	failed+=("cli: --frames=12")
fi

# Bounded input: endless, binary and unreadable input ends at once with one
# line naming the file and line, and a non-zero exit; never a hang, never a
# silent exit 0. (timeout: a regression must fail, not hang the suite.)
in_case() { # WANT_STATUS WANT_STDERR_REGEX SHELL_COMMAND
	local want=$1 re=$2 got err
	err=$(timeout 20 sh -c "$3" 2>&1 >/dev/null)
	got=$?
	if [ "$got" = "$want" ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && grep -Eq -- "$re" <<<"$err"; then
		pass=$((pass + 1))
	else
		echo "FAIL $3: exit $got (want $want), stderr: $err"
		fail=$((fail + 1))
		failed+=("input: $3")
	fi
}
V="'$vmviz'"
in_case 1 "^/dev/zero:1: binary data \(a NUL byte\), not text$" "$V run /dev/zero"
in_case 1 "^/dev/zero:1: binary data \(a NUL byte\), not text$" "$V trace /dev/zero"
in_case 1 "^<stdin>:2: binary data" "printf 'echo a\\necho b\\000c\\n' | $V run -"
in_case 1 "^<stdin>:1: binary data" "printf '\\000\\000\\n' | $V run -"
in_case 1 "^<stdin>:3: binary data" "printf '1\\n2\\n3\\0004\\n' | $V trace -"
in_case 1 "^<stdin>:1: line too long \(at most 1023 characters\)$" "yes x | tr -d '\\n' | $V run -"
in_case 1 "^<stdin>:1: line too long \(at most 4096 characters\)$" "yes 1 | tr -d '\\n' | $V trace -"
in_case 1 "^<stdin>:2: line too long" "(echo 'echo a'; head -c 2000 /dev/zero | tr '\\0' x; echo) | $V run -"
in_case 1 "^/: read error: Is a directory$" "$V run /"
in_case 1 "^/: Is a directory$" "$V trace /"
# the lines before a bad one still run and are in the transcript
if (echo 'echo before'; head -c 2000 /dev/zero) | "$vmviz" run - 2>/dev/null | grep -q '^before$'; then
	pass=$((pass + 1))
else
	echo "FAIL the lines before a binary line did not run"
	fail=$((fail + 1))
	failed+=("input: lines before a bad one")
fi

# The Chinese glossary (scenarios/GLOSSARY.zh.md): one term per concept,
# so the words it rules out appear nowhere in the Chinese text.
for word in 页框 次要缺页 主要缺页 按需分页 按需分配零页; do
	hits=$(cd "$root" && find src ui scenarios tests \( -name '*.c' -o -name '*.vmm' \) -exec grep -l -- "$word" {} + 2>/dev/null)
	if [ -z "$hits" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL glossary: '$word' is ruled out (scenarios/GLOSSARY.zh.md) but used in: $hits"
		fail=$((fail + 1))
		failed+=("glossary: $word")
	fi
done

echo "golden: $pass passed, $fail failed"
if [ $fail -gt 0 ]; then
	printf '  failed: %s\n' "${failed[@]}"
	exit 1
fi
exit 0
