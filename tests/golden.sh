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
cli_case 2 "^vmviz: unknown option '--bogus'$" run - --bogus
cli_case 2 "^vmviz: option --frames needs a value$" run - --frames
cli_case 2 "^vmviz: not a number: 'x'$" run - --frames=x
cli_case 2 "^vmviz: --record records the screen" run - --record x.cast
cli_case 2 "^vmviz: --trace is for play" run - --trace x.txt
cli_case 0 "^$" --frames=12 --lang=zh run -
if echo stats | "$vmviz" --frames=12 run - | grep -q '^frames 12 '; then
	pass=$((pass + 1))
else
	echo "FAIL --frames=12 did not give 12 frames"
	fail=$((fail + 1))
	failed+=("cli: --frames=12")
fi

echo "golden: $pass passed, $fail failed"
if [ $fail -gt 0 ]; then
	printf '  failed: %s\n' "${failed[@]}"
	exit 1
fi
exit 0
