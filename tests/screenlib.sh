# screenlib.sh - drives real terminal programs in tmux at a fixed size, for
# screen tests and screenshots. Source it from bash:
#
#   source tests/screenlib.sh
#   screen_start ui 100 30 build/vmviz --frames 32   # NAME COLS ROWS CMD...
#   screen_wait_for ui 'vmviz>'                      # regex, 5 s by default
#   screen_type ui 'p = malloc(8192)'                # text, then Enter
#   screen_send ui Space                             # tmux key names
#   assert_contains ui 'malloc'                      # fixed string on screen
#   screen_capture ui -e                             # with colour escapes
#   screen_stop ui
#   screen_summary                                   # "screen: N passed, N failed"
#
# Every program runs on a private tmux server (its own socket, no user
# config), with TERM=xterm-256color and LANG=C.UTF-8 unless SCREEN_TERM or
# SCREEN_LANG say otherwise. (With xterm-256color, curses erases with the
# background colour, "bce", and tmux 3.3 leaves such cells out of
# capture-pane: text is right but trailing coloured blanks are lost;
# SCREEN_TERM=tmux-256color avoids that, as screenshots.sh does.)
# The server is killed when the script exits; a script that sets its own
# EXIT trap must call screen_cleanup in it.
# A CMD given as one string is run by sh -c, so it may hold quotes, pipes
# and redirections.

SCREEN_SOCKET="vmviz-test-$$"
SCREEN_TERM="${SCREEN_TERM:-xterm-256color}"
SCREEN_LANG="${SCREEN_LANG:-C.UTF-8}"
SCREEN_PASSED=0
SCREEN_FAILED=0

# tmux on our private server; TMUX is unset so this works inside tmux too.
_screen_tmux() {
	TMUX='' tmux -L "$SCREEN_SOCKET" -f /dev/null "$@"
}

# Kills the private server (and every program on it).
screen_cleanup() {
	_screen_tmux kill-server 2>/dev/null || true
}
trap screen_cleanup EXIT
# An interrupted script still runs the EXIT trap.
trap 'exit 130' INT TERM

# screen_sandbox SCRIPT [VMVIZ]: the binary (build/vmviz by default) as an
# absolute path in VMVIZ, or exit 2; a private HOME and XDG_STATE_HOME in a
# fresh $TMP (no history or inputrc of the user's), the working directory
# there, ENVS to pass both through tmux, all of it removed at exit.
screen_sandbox() {
	VMVIZ=$(cd "$(dirname "${2:-build/vmviz}")" && pwd)/$(basename "${2:-build/vmviz}")
	[ -x "$VMVIZ" ] || { echo "$(basename "$1"): no binary at $VMVIZ" >&2; exit 2; }
	TMP=$(mktemp -d)
	trap 'screen_cleanup; rm -rf "$TMP"' EXIT
	export HOME="$TMP/home" XDG_STATE_HOME="$TMP/state"
	mkdir -p "$HOME"
	cd "$TMP" || exit 2
	ENVS="HOME=$HOME XDG_STATE_HOME=$XDG_STATE_HOME"
}

# Records one failed check: a message, then the screen as it was.
_screen_fail() {
	local name=$1 msg=$2
	SCREEN_FAILED=$((SCREEN_FAILED + 1))
	{
		printf 'FAIL: %s\n' "$msg"
		printf -- '--- screen %s ---\n' "$name"
		# from the history on: a dead pane scrolls its last line up there
		_screen_tmux capture-pane -p -S - -t "$name" 2>/dev/null || echo "(no such screen)"
		printf -- '--- end ---\n'
	} >&2
	return 1
}

_screen_pass() {
	SCREEN_PASSED=$((SCREEN_PASSED + 1))
}

# screen_start NAME COLS ROWS CMD... : runs CMD in a new COLS x ROWS screen.
# The pane stays after CMD exits, so its last words can still be read.
screen_start() {
	local name=$1 cols=$2 rows=$3
	shift 3
	if [ $# -eq 1 ]; then
		set -- sh -c "$1"
	fi
	# The options ride in the same call, before the server looks at the new
	# program again: no status line (it would take a row) and dead panes
	# kept, with their last words. (tmux 3.3 crashes on a global
	# window-size; sizes stay as given anyway while no client is attached.
	# tmux takes an argument ending in ';' as a command separator: give such
	# a CMD as one string.)
	# The server outlives its last session (exit-empty off): a server that
	# exits when a test stops its screen may still hold the socket when the
	# next test starts one, and that start fails with "server exited
	# unexpectedly" (tmux does not wait for its server to go). A start that
	# meets a server dying anyway (after screen_cleanup) is tried again.
	local try err
	for try in 1 2 3 4 5; do
		if err=$(_screen_tmux new-session -d -s "$name" -x "$cols" -y "$rows" -c "$PWD" \
			env TERM="$SCREEN_TERM" LANG="$SCREEN_LANG" LC_ALL="$SCREEN_LANG" "$@" \; \
			set-option -s exit-empty off \; \
			set-option -g status off \; set-option -g remain-on-exit on 2>&1); then
			return 0
		fi
		sleep 0.3
	done
	printf 'screen_start %s: %s\n' "$name" "$err" >&2
	return 1
}

# screen_send NAME KEY... : sends tmux key names (Enter, Space, Left, C-c, q).
# A lone Escape is told from Alt-key by 40 ms of silence after it: when the
# keys end with Escape, the next send waits that long, or a key typed right
# after would join it (Esc p is Meta-p to readline).
screen_send() {
	local name=$1
	shift
	_screen_tmux send-keys -t "$name" "$@"
	[ "${!#}" = Escape ] && sleep 0.15
	return 0
}

# screen_type NAME TEXT : types TEXT literally, then presses Enter.
screen_type() {
	_screen_tmux send-keys -t "$1" -l -- "$2" && _screen_tmux send-keys -t "$1" Enter
}

# screen_capture NAME [-e] : prints the screen; -e keeps colours and
# attributes as escapes (and trailing blanks, whose background may show).
screen_capture() {
	local name=$1
	if [ "${2:-}" = "-e" ]; then
		_screen_tmux capture-pane -p -e -N -t "$name"
	else
		_screen_tmux capture-pane -p -t "$name"
	fi
}

# screen_alive NAME : true while the program in NAME has not exited.
screen_alive() {
	[ "$(_screen_tmux display-message -p -t "$1" '#{pane_dead}' 2>/dev/null)" = 0 ]
}

# Tenths of a second in a timeout given in seconds ("5", "0.5").
_screen_tenths() {
	awk -v t="$1" 'BEGIN { n = int(t * 10 + 0.5); print (n < 1 ? 1 : n) }'
}

# screen_wait_for NAME REGEX [TIMEOUT] : waits until some line of the screen
# matches the extended REGEX; on timeout, fails and prints the screen.
screen_wait_for() {
	local name=$1 re=$2 tries
	tries=$(_screen_tenths "${3:-5}")
	while [ "$tries" -gt 0 ]; do
		if screen_capture "$name" 2>/dev/null | grep -Eq -- "$re"; then
			_screen_pass
			return 0
		fi
		sleep 0.1
		tries=$((tries - 1))
	done
	_screen_fail "$name" "screen '$name': no line matched /$re/ within ${3:-5} s"
}

# screen_wait_stable NAME [TIMEOUT] : waits until the screen stops changing
# (two captures 0.3 s apart agree), so a picture is not taken mid-repaint.
screen_wait_stable() {
	local name=$1 tries before now
	tries=$(_screen_tenths "${2:-5}")
	before=$(screen_capture "$name" -e 2>/dev/null)
	while [ "$tries" -gt 0 ]; do
		sleep 0.3
		now=$(screen_capture "$name" -e 2>/dev/null)
		[ "$now" = "$before" ] && return 0
		before=$now
		tries=$((tries - 3))
	done
	return 0 # a screen that never settles (a clock, a spinner) is still shown
}

# screen_resize NAME COLS ROWS : resizes the screen; the program gets SIGWINCH.
screen_resize() {
	_screen_tmux resize-window -t "$1" -x "$2" -y "$3"
}

# screen_stop NAME : ends the program and its screen.
screen_stop() {
	_screen_tmux kill-session -t "$1" 2>/dev/null || true
}

# assert_contains NAME TEXT [WHAT] : the screen shows the fixed string TEXT.
assert_contains() {
	if screen_capture "$1" 2>/dev/null | grep -Fq -- "$2"; then
		_screen_pass
	else
		_screen_fail "$1" "${3:-screen '$1' should show}: '$2'"
	fi
}

# assert_not_contains NAME TEXT [WHAT] : the screen does not show TEXT.
assert_not_contains() {
	if screen_capture "$1" 2>/dev/null | grep -Fq -- "$2"; then
		_screen_fail "$1" "${3:-screen '$1' should not show}: '$2'"
	else
		_screen_pass
	fi
}

# check WHAT CMD... : runs CMD, a check of the test's own, counted with the
# screen assertions.
check() {
	local what=$1
	shift
	if "$@"; then
		SCREEN_PASSED=$((SCREEN_PASSED + 1))
	else
		SCREEN_FAILED=$((SCREEN_FAILED + 1))
		echo "FAIL: $what" >&2
	fi
}

# screen_summary : prints the tally; returns 1 if anything failed.
screen_summary() {
	echo "screen: $SCREEN_PASSED passed, $SCREEN_FAILED failed"
	[ "$SCREEN_FAILED" -eq 0 ]
}
