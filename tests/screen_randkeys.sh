#!/usr/bin/env bash
# screen_randkeys.sh VMVIZ - a seeded random-key soak of the live screen and
# of playback (its keys and its ':' prompt), in tmux.
#
#   RANDKEYS=N        key sequences per screen (default 150: a few seconds)
#   RANDKEYS_SEED=S   the seed (default 1); a failure names it to replay
#   RANDKEYS_DUMP=F   also write each screen's keys to F.NAME as hex, for
#                     tests/fuzz_keys.c (fe: a pause, fd R C: a resize)
#
# A sequence is 1 to 6 keys: printable text (UTF-8 included), Ctrl-keys,
# Meta-keys (Esc + a byte), terminal escape sequences (arrows, function
# keys, Home/End, mouse reports, bracketed paste), Enter (the line runs as a
# command: vmviz must survive whatever it says), and now and then a resize
# to a random size (tiny ones included). Left out: the keys that end vmviz
# on purpose (Ctrl-C and Ctrl-D, F10, a click on the F-key bar, and q in
# playback), Ctrl-Z (suspends it)
# and Ctrl-\ (SIGQUIT).
# Every 25 sequences vmviz must still be running; at the end, back at
# 100x30, it must run a command typed at the prompt. `make screen` runs a
# short soak, `make soak` a long one (RANDKEYS=20000).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

N=${RANDKEYS:-150}
SEED=${RANDKEYS_SEED:-1}

vmviz() {
	local name=$1
	shift
	# stderr in a file: a crash's last words (glibc's, a sanitizer's) are
	# shown when it fails instead of scrolling off a garbled screen.
	screen_start "$name" 100 30 \
		"env $ENVS '$VMVIZ' $* 2>'$TMP/$name.err'; echo \"[vmviz exited \$?]\"; exec sleep 600"
}

# Escape sequences a terminal sends (hex, without the leading 1b).
ESCAPES=(
	"5b 41" "5b 42" "5b 43" "5b 44" "5b 48" "5b 46" "4f 41" "4f 44" "4f 50" "4f 53"
	"5b 31 3b 35 43" "5b 31 3b 33 44" "5b 31 3b 32 41" "5b 32 7e" "5b 33 7e" "5b 35 7e"
	"5b 36 7e" "5b 31 35 7e" "5b 32 34 7e" "5b 5a" "5b 4d 20 21 21" "5b 3c 30 3b 35 3b 35 4d"
	"5b 32 30 30 7e 65 63 68 6f 20 70 61 73 74 65 1b 5b 32 30 31 7e" "5b 39 39 39 39 39 39 7e"
	"5b" "4f" "5b 3f" "5b 31 3b"
)
UTF8=("e4 b8 ad" "e6 96 87" "c3 a9" "f0 9f 98 80" "e2 94 80" "ff" "c3" "e4 b8")

# A random key's hex bytes that cannot end vmviz on purpose.
key() {
	local r=$((RANDOM % 100)) b
	if [ $r -lt 40 ]; then
		while :; do
			b=$((RANDOM % 95 + 32))
			[ $b -ne 113 ] && break
		done
		printf '%02x' $b
	elif [ $r -lt 47 ]; then
		printf '%s' "${UTF8[RANDOM % ${#UTF8[@]}]}"
	elif [ $r -lt 65 ]; then
		while :; do
			b=$((RANDOM % 32))
			case $b in 0 | 3 | 4 | 26 | 28 | 13 | 10) ;; *) break ;; esac
		done
		printf '%02x' $b
	elif [ $r -lt 78 ]; then
		while :; do
			b=$((RANDOM % 127 + 1))
			case $b in 3 | 4 | 26 | 28) ;; *) break ;; esac
		done
		printf '1b %02x' $b
	elif [ $r -lt 94 ]; then
		printf '1b %s' "${ESCAPES[RANDOM % ${#ESCAPES[@]}]}"
	elif [ $r -lt 98 ]; then
		printf '0d'
	else
		printf '7f'
	fi
}

# soak NAME : N random sequences into screen NAME, checking it lives on.
soak() {
	local name=$1 i j len keys
	for ((i = 1; i <= N; i++)); do
		if [ $((RANDOM % 40)) -eq 0 ]; then
			local c=$((RANDOM % 150 + 1)) r=$((RANDOM % 50 + 1))
			screen_resize "$name" $c $r
			[ -n "${RANDKEYS_DUMP:-}" ] && printf 'fd %02x %02x\n' $((r - 1)) $((c - 1)) >>"$RANDKEYS_DUMP.$name"
		fi
		keys=""
		len=$((RANDOM % 6 + 1))
		for ((j = 0; j < len; j++)); do
			keys+=" $(key)"
		done
		# shellcheck disable=SC2086 # the bytes are separate arguments
		_screen_tmux send-keys -t "$name" -H $keys
		[ -n "${RANDKEYS_DUMP:-}" ] && echo "$keys fe" >>"$RANDKEYS_DUMP.$name"
		if [ $((i % 25)) -eq 0 ] && ! alive "$name"; then
			_screen_fail "$name" "vmviz died after sequence $i (RANDKEYS_SEED=$SEED, last keys:$keys)"
			echo "--- its stderr ---"
			head -c 4000 "$TMP/$name.err"
			return 1
		fi
	done
	screen_resize "$name" 100 30
	echo "  $N sequences sent (seed $SEED)"
}

alive() {
	screen_alive "$1" && ! screen_capture "$1" 2>/dev/null | grep -q 'vmviz exited'
}

# responsive NAME WORD [PREFIX...] : after a reset of the line (and the
# PREFIX keys, hex), `echo WORD` runs and shows.
responsive() {
	local name=$1 word=$2
	shift 2
	sleep 0.5
	# Esc Ctrl-E: emacs mode again; Ctrl-G: end a search or an argument;
	# Ctrl-A Ctrl-K: an empty line.
	# (Again after PREFIX: a prompt it opens may be in vi mode, Meta-Ctrl-J.)
	# Twice: the first may only close what the random keys opened (help,
	# the go-to prompt), which takes the key, and leave vi's command mode on.
	_screen_tmux send-keys -t "$name" -H 1b 05 07 01 0b "$@"
	sleep 0.3
	_screen_tmux send-keys -t "$name" -H 1b 05 07 01 0b
	sleep 0.3
	# At the live prompt, Ctrl-C is vmviz's own key whatever readline's
	# state (a macro being defined, a quoted insert, overwrite mode...):
	# the line is dropped and a fresh one starts. (In playback it quits.)
	if [ $# -eq 0 ]; then
		_screen_tmux send-keys -t "$name" -H 03
		sleep 0.3
		_screen_tmux send-keys -t "$name" -H 03
		sleep 0.3
	fi
	screen_type "$name" "echo $word"
	screen_wait_for "$name" "^ +$word\$" 10
	if alive "$name"; then
		_screen_pass
	else
		_screen_fail "$name" "vmviz exited (RANDKEYS_SEED=$SEED)"
	fi
	check "no sanitizer report on stderr (make asan)" \
		bash -c "! grep -Eq 'Sanitizer|runtime error' '$TMP/$name.err'"
}

echo "== a repeat count is bounded by the line (Esc 9 9 9 9 9 9 x)"
vmviz c
screen_wait_for c 'vmviz>'
# readline took a million: the line held 999999 x's, past the limit
_screen_tmux send-keys -t c -H 1b 39 39 39 39 39 39 78
_screen_tmux send-keys -t c Enter
screen_wait_for c "unknown command 'x{40}'" 10
screen_stop c

echo "== a count before Enter, then Ctrl-R, with a full history (1000 lines)"
mkdir -p "$XDG_STATE_HOME/vmviz"
seq -f 'echo %g' 1 1000 >"$XDG_STATE_HOME/vmviz/history"
vmviz h
screen_wait_for h 'vmviz>'
# d, Alt-2, Enter, Ctrl-R, x: readline read a freed history entry
_screen_tmux send-keys -t h -H 64 1b 32 0d
sleep 0.3
_screen_tmux send-keys -t h -H 12 78
sleep 0.3
responsive h alive-history
screen_stop h
rm -rf "$XDG_STATE_HOME/vmviz"

RANDOM=$SEED
echo "== random keys at the live screen"
vmviz r
screen_wait_for r 'vmviz>'
screen_type r 'p = malloc(8192)'
soak r && responsive r alive-live
screen_stop r

echo "== random keys at playback and its ':' prompt"
vmviz p play "'$ROOT/tests/screen_play.vmm'"
screen_wait_for p 'step 0/'
soak p && responsive p alive-play 0d 3a
screen_stop p

screen_summary
