#!/usr/bin/env bash
# screen_habits.sh VMVIZ - htop's habits and the student's machine, at 80x24
# and 120x40, in tmux: F10 quits (at the prompt and in playback), F-keys
# that do nothing type nothing, the F-key bar (English and Chinese), mouse
# clicks picking a frame, a PTE and a VMA, the wheel, mouse reports never
# reaching the line, and `p = malloc(1M); touch p` without swapping on the
# default machine. `make screen` runs it.
#
# tmux's send-keys -M needs a real mouse event from a client; -H sends the
# bytes a terminal would: an SGR report "ESC [ < b ; x ; y M" (1-based).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

vmviz() {
	local name=$1 cols=$2 rows=$3
	shift 3
	screen_start "$name" "$cols" "$rows" \
		"env $ENVS '$VMVIZ' $*; echo \"[vmviz exited \$?]\"; exec sleep 60"
}

# mouse NAME BUTTON X Y [m] : a press (or with m, a release) at column X,
# row Y (1-based), as an SGR report.
mouse() {
	local hex
	hex=$(printf '\033[<%d;%d;%d%s' "$2" "$3" "$4" "${5:-M}" | od -An -tx1)
	# shellcheck disable=SC2086 # one argument per byte
	_screen_tmux send-keys -t "$1" -H $hex
}

# row_of NAME REGEX : the 1-based row of the first line matching REGEX.
row_of() {
	screen_capture "$1" | grep -nE -- "$2" | head -1 | cut -d: -f1
}

# message NAME : the message line (above the F-key bar).
message() {
	screen_capture "$1" | tail -2 | head -1
}

# wait_message NAME REGEX : the message line comes to match REGEX.
wait_message() {
	local tries=30
	while [ $tries -gt 0 ]; do
		if message "$1" | grep -Eq -- "$2"; then
			_screen_pass
			return 0
		fi
		sleep 0.1
		tries=$((tries - 1))
	done
	_screen_fail "$1" "message line should match /$2/, is '$(message "$1")'"
}

# wait_row NAME ROW REGEX WHAT : screen row ROW (1-based) comes to match REGEX.
wait_row() {
	local tries=30
	while [ $tries -gt 0 ]; do
		if screen_capture "$1" | sed -n "$2p" | grep -Eq -- "$3"; then
			_screen_pass
			return 0
		fi
		sleep 0.1
		tries=$((tries - 1))
	done
	_screen_fail "$1" "$4: row $2 should match /$3/"
}

for size in 80x24 120x40; do
	cols=${size%x*} rows=${size#*x}

	echo "== ${cols}x${rows}: the F-key bar, on the last line, in both languages"
	vmviz b "$cols" "$rows"
	screen_wait_for b 'vmviz>'
	screen_wait_for b '^F1Help +F2Shot +F3Panel +F10Quit *$'
	check "the bar is the last line" bash -c "[ \"\$(TMUX= tmux -L '$SCREEN_SOCKET' capture-pane -p -t b | tail -1 | cut -c1-6)\" = F1Help ]"
	screen_stop b
	vmviz z "$cols" "$rows" --lang zh
	screen_wait_for z 'vmviz>'
	screen_wait_for z '^F1帮助 +F2截图 +F3面板 +F10退出'
	screen_stop z

	echo "== ${cols}x${rows}: the default machine holds p = malloc(1M); touch p without swapping"
	vmviz m "$cols" "$rows"
	screen_wait_for m 'vmviz>'
	assert_contains m '2048 frames'
	screen_type m 'p = malloc(1M)'
	screen_type m 'touch p'
	screen_wait_for m 'touched 257 pages: 256 minor, 0 major faults'
	screen_wait_for m 'swap 0/1024'
	assert_not_contains m 'OOM'
	assert_not_contains m 'no process'
	# The grid fits: no scroll arrow on the frames grid's first row.
	fr=$(row_of m '─ Physical frames')
	check "the frames grid does not scroll" bash -c "! TMUX= tmux -L '$SCREEN_SOCKET' capture-pane -p -t m | sed -n '$((fr + 1)),$((fr + 4))p' | sed 's/│.*//' | grep -q '[▼▲] *\$'"

	echo "== ${cols}x${rows}: a click on a frame, a PTE, a VMA shows its detail"
	# The first cell of the grid's first row: frame 0, the kernel's.
	mouse m 0 6 $((fr + 1))
	mouse m 0 6 $((fr + 1)) m
	wait_message m '^ frame 0: kernel'
	# The page table's first row (under its column header when it has one).
	pt=$(row_of m ' → (pfn|swap|zero)')
	mouse m 0 $((cols - 10)) "$pt"
	wait_message m '^ PTE 0x[0-9a-f]+ → frame [0-9]+: present'
	# The address space's stack row.
	st=$(row_of m ' stack ')
	mouse m 0 5 "$st"
	wait_message m '^ VMA 7ffff[0-9a-f]+-[0-9a-f]+ rw- stack: '
	# The wheel over the log scrolls it back: its last row says more is below.
	log=$(row_of m '─ What happened')
	check "the log ends at the newest line" bash -c "! TMUX= tmux -L '$SCREEN_SOCKET' capture-pane -p -t m | sed -n '$((rows - 3))p' | grep -q '▼'"
	mouse m 64 10 $((log + 2))
	wait_row m $((rows - 3)) '▼$' "the wheel scrolled the log back"
	mouse m 65 10 $((log + 2))
	# None of it reached the line: it is still empty, and runs a command.
	screen_type m 'echo clean'
	screen_wait_for m '^ +clean$'
	assert_not_contains m '[<'

	echo "== ${cols}x${rows}: F-keys with nothing to do type nothing; F10 quits"
	screen_send m C-a C-k
	_screen_tmux send-keys -t m -l 'echo abc'
	screen_send m F4 F5 F6 F7 F8 F9 F11 F12
	_screen_tmux send-keys -t m -l 'def'
	screen_wait_for m 'vmviz> echo abcdef$'
	screen_send m Enter
	screen_wait_for m '^ +abcdef$'

	echo "== ${cols}x${rows}: exit ends the process, not vmviz, and says how to leave"
	screen_type m 'exit'
	wait_message m 'exit ended the simulated process; vmviz runs on: quit, F10 or Ctrl-D leaves it'
	# The sequences readline binds still reach it: Left, Home, Delete.
	_screen_tmux send-keys -t m -l 'cho xyac'
	screen_send m Left
	_screen_tmux send-keys -t m -l 'b'
	screen_send m Home
	_screen_tmux send-keys -t m -l 'e'
	screen_send m Right Right Right Right DC DC
	screen_wait_for m 'vmviz> echo abc$'
	screen_send m Enter
	screen_wait_for m '^ +abc$'
	screen_send m F10
	screen_wait_for m '\[vmviz exited 0\]'
	screen_stop m
done

echo "== F10 quits playback too, over the help; a click there picks a frame"
vmviz p 100 30 play "'$ROOT/tests/screen_play.vmm'"
screen_wait_for p 'step 0/'
screen_send p Space
fr=$(row_of p '─ Physical frames')
mouse p 0 6 $((fr + 1))
wait_message p '^ frame 0: kernel'
# Over the help screen too.
screen_send p F1
screen_wait_for p 'any other key closes'
screen_send p F10
screen_wait_for p '\[vmviz exited 0\]'
screen_stop p

echo "== F10 leaves a playlist: from its menu, and from a scenario in it"
mkdir -p "$TMP/talk"
cp "$ROOT/scenarios/03-physical-memory.vmm" "$ROOT/scenarios/10-lru-clock-fifo.vmm" "$TMP/talk/"
vmviz l 80 24 play "'$TMP/talk'"
screen_wait_for l 'q or F10 quits'
screen_send l F10
screen_wait_for l '\[vmviz exited 0\]'
screen_stop l
vmviz l 80 24 play "'$TMP/talk'"
screen_wait_for l 'q or F10 quits'
screen_send l Enter
screen_wait_for l 'step 0/'
screen_send l F10
screen_wait_for l '\[vmviz exited 0\]'
screen_stop l

echo "== headless: no mouse reporting, no escape sequences at all"
check "vmviz run writes no mouse sequence" bash -c "! echo 'echo x' | '$VMVIZ' run - | grep -q \$'\\033'"
check "vmviz run prints plain text" bash -c "[ \"\$(echo 'echo x' | '$VMVIZ' run - | tail -1)\" = x ]"

screen_summary
