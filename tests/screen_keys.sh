#!/usr/bin/env bash
# screen_keys.sh VMVIZ - every key readline binds in emacs mode, typed at
# both prompts (the live screen's and playback's `:`), in the normal state
# and during an incremental search (Ctrl-R, Ctrl-S), each followed by a random key.
# vmviz must survive all of it and still run a command afterwards.
# `make screen` runs it.
#
# The sequences: every byte 0x01-0x7f, Esc + each of them (the Meta map) and
# Ctrl-X + each of them (the Ctrl-X map). Left out: Ctrl-D (quits on an
# empty line, as it should: screen.sh tests it), Ctrl-Z (suspends vmviz) and
# Esc alone (vmviz's own key, never given to readline).
# After each sequence the line is reset: Esc Ctrl-E (back to emacs mode if
# Meta-Ctrl-J chose vi, as it did before the prompt refused vi mode), Ctrl-G (ends a search, a macro, an argument),
# Ctrl-A Ctrl-K (empties the line); at playback's prompt also Enter (back to
# the script) and ':' (the prompt again).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

vmviz() {
	local name=$1
	shift
	screen_start "$name" 100 30 \
		"env $ENVS '$VMVIZ' $*; echo \"[vmviz exited \$?]\"; exec sleep 60"
}

# The sequences, as hex bytes, one per line.
sequences() {
	local b
	for b in $(seq 1 127); do
		case $b in 4 | 26 | 27) continue ;; esac
		printf '%02x\n' "$b"
		printf '1b %02x\n' "$b"
		printf '18 %02x\n' "$b"
	done
}

# A random key that cannot end vmviz: no Ctrl-C, Ctrl-D, Ctrl-Z, Esc or q.
RANDOM=1403
random_key() {
	local k
	while :; do
		k=$((RANDOM % 127 + 1))
		case $k in 3 | 4 | 26 | 27 | 113) ;; *) break ;; esac
	done
	printf '%02x' "$k"
}

# keys NAME STATE RESET : sends every sequence, in STATE (hex bytes typed
# before it), then a random key, then RESET (hex bytes).
keys() {
	local name=$1 state=$2 reset=$3 seq n=0
	while read -r seq; do
		# shellcheck disable=SC2086 # the bytes are separate arguments
		_screen_tmux send-keys -t "$name" -H $state $seq "$(random_key)" $reset
		n=$((n + 1))
	done < <(sequences)
	echo "  $n sequences sent"
}

# still_works NAME WORD : vmviz is alive and runs `echo WORD`.
still_works() {
	local name=$1 word=$2
	# Whatever state the last key left, a reset, then a command. Twice: the
	# first may only close what a key opened (help), which takes the key.
	sleep 0.3
	_screen_tmux send-keys -t "$name" -H 1b 05 07 01 0b
	sleep 0.3
	_screen_tmux send-keys -t "$name" -H 1b 05 07 01 0b
	sleep 0.3
	screen_type "$name" "echo $word"
	screen_wait_for "$name" "^ +$word\$" 10
	if screen_capture "$name" | grep -q 'vmviz exited'; then
		_screen_fail "$name" "vmviz exited"
	else
		_screen_pass
	fi
}

LIVE_RESET="1b 05 07 01 0b"
PLAY_RESET="1b 05 07 01 0b 0d 3a"
# Ctrl-R, then 'e': a search that finds the history's "echo ..." lines.
SEARCH="12 65"

echo "== readline keys at the live prompt, normal state"
vmviz k
screen_wait_for k 'vmviz>'
screen_type k 'echo first'
screen_type k 'help malloc'
keys k "" "$LIVE_RESET"
still_works k alive-normal

echo "== readline keys at the live prompt, during Ctrl-R search"
keys k "$SEARCH" "$LIVE_RESET"
still_works k alive-search

echo "== readline keys at the live prompt, during Ctrl-S (forward) search"
keys k "13 65" "$LIVE_RESET"
still_works k alive-forward
screen_stop k

echo "== readline keys at playback's ':' prompt, normal and Ctrl-R search"
vmviz p play "'$ROOT/tests/screen_play.vmm'"
screen_wait_for p 'step 0/'
screen_send p ':'
screen_wait_for p 'vmviz> '
screen_type p 'echo first'
screen_send p ':'
keys p "" "$PLAY_RESET"
keys p "$SEARCH" "$PLAY_RESET"
_screen_tmux send-keys -t p -H 1b 05 07 01 0b 0d 3a
still_works p alive-play
assert_not_contains p 'Sanitizer' "no sanitizer report (make asan)"
screen_stop p

echo "== vi mode is refused: Alt-Ctrl-J then Esc Esc [ 1 and a non-ASCII key crashed readline 8.2"
vmviz j
screen_wait_for j 'vmviz>'
screen_type j 'echo first'
_screen_tmux send-keys -t j -l 'abc'
_screen_tmux send-keys -t j -H 1b 0a 1b 1b 5b 31 ca 81 63
still_works j alive-after-vi
# still emacs: Ctrl-A goes to the start of the line (vi's insert mode would
# type a ^A into it)
_screen_tmux send-keys -t j -l 'cho emacs-after-vi'
_screen_tmux send-keys -t j -H 01
_screen_tmux send-keys -t j -l 'e'
_screen_tmux send-keys -t j Enter
screen_wait_for j '^ +emacs-after-vi$' 10
screen_stop j

echo "== an inputrc that asks for vi mode gets emacs mode"
printf 'set editing-mode vi\n' > "$HOME/.inputrc"
vmviz i
screen_wait_for i 'vmviz>'
_screen_tmux send-keys -t i -l 'cho emacs-despite-inputrc'
_screen_tmux send-keys -t i -H 01
_screen_tmux send-keys -t i -l 'e'
_screen_tmux send-keys -t i Enter
screen_wait_for i '^ +emacs-despite-inputrc$' 10
# Ctrl-X Ctrl-R reads the inputrc again: still emacs afterwards
_screen_tmux send-keys -t i -H 18 12
_screen_tmux send-keys -t i -l 'cho emacs-after-reread'
_screen_tmux send-keys -t i -H 01
_screen_tmux send-keys -t i -l 'e'
_screen_tmux send-keys -t i Enter
screen_wait_for i '^ +emacs-after-reread$' 10
screen_stop i
rm -f "$HOME/.inputrc"

echo "== a 200 KB paste: refused at once past the line limit, the prompt stays quick"
vmviz v
screen_wait_for v 'vmviz>'
head -c 200000 /dev/zero | tr '\0' 'a' > "$TMP/paste.txt"
_screen_tmux load-buffer -b big "$TMP/paste.txt"
_screen_tmux paste-buffer -b big -t v
# Before the fix every byte redrew the prompt: minutes, not seconds.
screen_wait_for v 'line too long \(at most 1023 characters\)' 20
_screen_tmux send-keys -t v -H 01 0b
screen_type v 'echo after-paste'
screen_wait_for v '^ +after-paste$' 20
screen_stop v

screen_summary
