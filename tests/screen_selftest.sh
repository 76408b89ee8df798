#!/usr/bin/env bash
# screen_selftest.sh - tests tests/screenlib.sh itself against cat and bash.
# Usage: bash tests/screen_selftest.sh [build/tests/tool_ansi2svg]
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/screenlib.sh
ANSI2SVG=${1:-build/tests/tool_ansi2svg}


# Waits up to 5 s for the program in NAME to exit.
wait_dead() {
	local i
	for i in $(seq 50); do
		screen_alive "$1" || return 0
		sleep 0.1
	done
	return 1
}

echo "== cat: typing, keys, exit"
screen_start cat 40 10 cat
screen_type cat "hello world"
screen_wait_for cat '^hello world$'
# the tty echoes the line and cat prints it again
check "typed line shown twice" test "$(screen_capture cat | grep -c '^hello world$')" = 2
assert_contains cat "hello world"
assert_not_contains cat "goodbye"
check "cat runs" screen_alive cat
screen_send cat C-d
check "C-d ends cat" wait_dead cat
screen_stop cat
check "stopped screen is gone" bash -c "! TMUX='' tmux -L '$SCREEN_SOCKET' has-session -t cat 2>/dev/null"

echo "== bash: colours, wide chars, size, resize"
screen_start sh 40 10 "PS1='\$ ' bash --norc --noprofile -i"
screen_wait_for sh '^\$'   # capture-pane drops the trailing blank
screen_type sh "printf '\\033[31mRED\\033[0m \\342\\224\\214\\342\\224\\200 \\344\\270\\255\\346\\226\\207|\\n'; stty size"
screen_wait_for sh '^10 40$'
assert_contains sh "RED ┌─ 中文|"
check "capture -e keeps the colour escape" \
	bash -c "grep -qF \$'\\033[31mRED' <<<\"\$1\"" _ "$(screen_capture sh -e)"
check "capture -e keeps full-width lines" \
	test "$(screen_capture sh -e | sed -n 1p | sed 's/\x1b\[[0-9;]*m//g' | wc -m)" -eq 41
screen_resize sh 60 15
screen_type sh "clear; stty size"
screen_wait_for sh '^15 60$'
assert_not_contains sh "RED"

echo "== ansi2svg reads the capture back"
check "the screenshot converter $ANSI2SVG is built" test -x "$ANSI2SVG"
if [ -x "$ANSI2SVG" ]; then
	screen_type sh "printf '\\033[1;44m blue \\033[0m \\344\\270\\255 end\\n'"
	screen_wait_for sh 'blue'
	screen_wait_stable sh
	check "ansi2svg --text equals the plain capture" \
		test "$(screen_capture sh -e | "$ANSI2SVG" --text --cols 60)" = "$(screen_capture sh)"
	check "ansi2svg draws the blue background" \
		bash -c "grep -q '<rect x=' <<<\"\$1\"" _ \
		"$(screen_capture sh -e | "$ANSI2SVG" --cols 60)"
fi

echo "== failures are reported with the screen"
saved_passed=$SCREEN_PASSED saved_failed=$SCREEN_FAILED
out=$(assert_contains sh "no such text" 2>&1)
rc=$?
SCREEN_PASSED=$saved_passed SCREEN_FAILED=$saved_failed
check "assert_contains fails" test "$rc" -ne 0
check "failure names the text" grep -qF "'no such text'" <<<"$out"
check "failure prints the screen" grep -qF -- "--- screen sh ---" <<<"$out"
out=$(screen_wait_for sh 'never there' 0.3 2>&1)
rc=$?
SCREEN_PASSED=$saved_passed SCREEN_FAILED=$saved_failed
check "screen_wait_for times out" test "$rc" -ne 0
check "timeout message" grep -qF "within 0.3 s" <<<"$out"
out=$(assert_not_contains sh "15 60" 2>&1)
rc=$?
SCREEN_PASSED=$saved_passed SCREEN_FAILED=$saved_failed
check "assert_not_contains fails on shown text" test "$rc" -ne 0
screen_stop sh

echo "== the exit trap kills the private server"
sock=$(bash -c 'source tests/screenlib.sh; screen_start x 20 5 cat; echo "$SCREEN_SOCKET"')
# kill-server returns before the server has gone: give it a moment.
server_gone() {
	local i
	for i in $(seq 1 50); do
		TMUX='' tmux -L "$sock" list-sessions >/dev/null 2>&1 || return 0
		sleep 0.1
	done
	return 1
}
check "server gone after exit" server_gone

screen_summary
