#!/usr/bin/env bash
# screenshots.sh - `make screenshots`: runs real programs in tmux at a fixed
# size and saves each screen as screenshots/NAME.svg and screenshots/NAME.png.
#
# Usage: bash tests/screenshots.sh [VMVIZ [NAME...]]   all shots, or the named
#        bash tests/screenshots.sh --demo               the demo screen itself
#
# Adding a shot: add a line to the table below.
#   shot NAME COLS ROWS 'COMMAND' 'WAIT FOR' [STEP...]
# COMMAND   a shell command line; $VMVIZ is the vmviz binary (build/vmviz).
# WAIT FOR  an extended regex; the picture is taken once some line of the
#           screen matches it (10 s at most) and the screen stops changing.
#           A '#: TEXT' at its end (a comment to the shell) is the
#           window title instead of the command itself.
# STEP      done in order once COMMAND runs:
#             'type:TEXT'   types TEXT and presses Enter (the vmviz prompt)
#             'key:K...'    presses tmux keys: Space Enter Left Right q C-c
#             'wait:REGEX'  waits for REGEX before the next step
#             'sleep:SECS'  waits a fixed time
# Begin the steps with 'wait:...' on something the program shows once it is
# ready (its prompt), so that no key arrives before it reads the keyboard.
# The vmviz lines below are examples: the REPL with two typed commands, and
# a scenario stepped twice with Space.

SHOTS=()
shot() { local IFS=$'\x1f'; SHOTS+=("$*"); } # one string per shot

#    NAME            COLS ROWS  COMMAND                                      WAIT FOR           STEPS
shot repl-malloc     100  30    '$VMVIZ'                                     'MMU walk 0x55555555a2a0'    'wait:vmviz>' 'type:p = malloc(8192)' 'type:p[0] = 1' 'type:p[4096] = 2'
shot repl-swap       120  40    '$VMVIZ --frames 16 --swap 32'               'x = 0'            'wait:vmviz>' 'type:a = mmap(64K)' 'type:touch a' 'type:x = a[0]'
shot repl-80x24      80   24    '$VMVIZ'                                     'PTE set: page 0x7ffff7fbf000' 'wait:vmviz>' 'type:p = malloc(100)' 'type:q = mmap(8K)' 'type:q[4096] = 1'
shot big-1024-frames 200  60    '$VMVIZ --frames 1024 --swap 256'            'looking at process 102' 'wait:vmviz>' 'type:p = malloc(2M)' 'type:touch p' 'type:c = fork()' 'type:spawn ls'
shot play-whole-flow 100  30    '$VMVIZ play scenarios/09-whole-flow.vmm'    'step 8/'          'wait:step 0/' 'key:Space' 'key:Space' 'key:Space' 'key:Space' 'key:Space' 'key:Space' 'key:Space' 'key:Space'
shot play-cow-zh     100  30    '$VMVIZ --lang zh play scenarios/12-fork-cow.vmm' '步骤 13/'     'wait:步骤 0/' 'key:g' 'sleep:0.3' 'type:13'
shot compare-fork-cow 120  40    '$VMVIZ --frames 32'                         'copied to frame 8' 'wait:vmviz>' 'type:p = malloc(64)' 'type:p[0] = 1' 'type:c = fork()' 'type:compare' 'type:proc c' 'type:p[0] = 2'
shot play-swap-contrast 100 30  '$VMVIZ --theme contrast play scenarios/08-swap.vmm' 'step 18/' 'wait:step 0/' 'key:g' 'sleep:0.3' 'type:18'
shot repl-dump       120  40    '$VMVIZ'                                     '7365 6372 6574'   'wait:vmviz>' 'type:p = malloc(100)' 'type:strcpy(p, "secret message")' 'type:*(p + 20) = 0x41' 'type:dump p 48'
# a real program recorded, then played: the step of its malloc(300000)
shot record-play     100  30    'mkdir -p build/screenshots && $VMVIZ record -o build/screenshots/rec_malloc.vmm build/tests/progs/rec_malloc 2>/dev/null && $VMVIZ play build/screenshots/rec_malloc.vmm #: vmviz record -o rec_malloc.vmm tests/progs/rec_malloc; vmviz play rec_malloc.vmm' 'p3 = 0x7ffff7d36010' 'wait:step 0/' 'key:g' 'sleep:0.3' 'type:580'
# a real process, attached: tests/progs/att_pause writes 32 more pages on SIGUSR1
shot attach          120  40    'build/tests/progs/att_pause >/dev/null & p=$!; (sleep 2; kill -USR1 $p) & $VMVIZ attach $p --interval 0.5; kill $p #: vmviz attach PID   (PID: tests/progs/att_pause, paused)' '32 pages changed' 'wait:read-only'
shot repl-light      100  30    '$VMVIZ --theme light'                       'MMU walk 0x55555555a2a0'    'wait:vmviz>' 'type:p = malloc(8192)' 'type:p[0] = 1' 'type:c = fork()' 'type:p[4096] = 2'
shot play-cow-light  120  40    '$VMVIZ --theme light play scenarios/12-fork-cow.vmm' 'step 13/' 'wait:step 0/' 'key:g' 'sleep:0.3' 'type:13'
shot play-belady     100  30    '$VMVIZ play scenarios/11-belady-fifo.vmm'  'step 20/'         'wait:step 0/' 'key:g' 'sleep:0.3' 'type:20'
shot play-lru-zh     100  30    '$VMVIZ --lang zh play scenarios/10-lru-clock-fifo.vmm' '步骤 30/'  'wait:步骤 0/' 'key:g' 'sleep:0.3' 'type:30'
shot play-segv       100  30    '$VMVIZ play scenarios/01-why-virtual-memory.vmm' 'step 26/' 'wait:step 0/' 'key:g' 'sleep:0.3' 'type:26'
shot explain         120  40    '$VMVIZ --frames 8 --swap 16'                'the hand now points' 'wait:vmviz>' 'type:a = mmap(8K)' 'type:touch a' 'type:explain'
# ---- no need to change anything below to add a shot ----

set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${SCREENSHOT_SCALE:-2}   # PNG pixels per SVG pixel: 2 is sharp on HiDPI
OUT=screenshots

# The colourful screen of the demo shot: colours, attributes, box drawing,
# wide (Chinese) characters and a real `ls`, all of what ansi2svg handles.
demo() {
	local e=$'\033' i
	printf '%s\n' "${e}[1;97;44m ansi2svg demo: colours, box drawing, 中文 (wide chars)   ${e}[0m"
	printf '%s\n' "${e}[1mbold${e}[22m ${e}[4munderline${e}[24m ${e}[7mreverse${e}[27m ${e}[1;33mbold yellow${e}[0m ${e}[38;2;255;135;95mtrue colour${e}[0m"
	local b="${e}[1m" r="${e}[0m" g="${e}[32m" red="${e}[31m" y="${e}[33m" c="${e}[36m" m="${e}[35m"
	printf '%s\n' \
		"┌────────────────┬─────────────┬────────────┐  ╔═══════════╗  ╭──────╮" \
		"│ ${b}虚拟地址 VPN${r}   │ ${b}物理页 PFN${r}  │ ${b}标志 PTE${r}   │  ║ ${c}页表 PT${r}   ║  │  ok  │" \
		"├────────────────┼─────────────┼────────────┤  ╠═══════════╣  ╰──────╯" \
		"│ 0x555555554    │ ${g}0x0002a${r}     │ ${g}P W U A${r}    │  ║ ${y}PGD→PTE${r}   ║  ┏━━━┳━━━┓" \
		"│ 0x7ffff7fc1    │ ${red}not present${r} │ ${red}缺页 fault${r} │  ║ ${m}交换 swap${r} ║  ┃ A ┃ B ┃" \
		"└────────────────┴─────────────┴────────────┘  ╚═══════════╝  ┗━━━┻━━━┛"
	printf 'frames: '
	for i in 1 2 2 4 6 6 1 3 5 5 2 4; do printf '%s' "${e}[4${i}m  ${e}[0m "; done
	printf '\nbars:   %s\n' "${e}[32m████████${e}[33m▓▓▓▓${e}[31m▒▒▒▒${e}[90m░░░░${e}[0m ▁▂▃▄▅▆▇█ ▏▎▍▌▋▊▉ ▖▗▘▝▚▞"
	for i in 0 1 2 3 4 5 6 7; do printf '%s' "${e}[4${i}m   ${e}[0m"; done
	printf ' '
	for i in 0 1 2 3 4 5 6 7; do printf '%s' "${e}[10${i}m   ${e}[0m"; done
	printf '\n'
	for i in 0 1 2 3 4 5 6 7; do printf '%s' "${e}[3${i}mfg${i} ${e}[0m"; done
	for i in 0 1 2 3 4 5 6 7; do printf '%s' "${e}[9${i}mbr${i} ${e}[0m"; done
	printf '\n'
	for i in $(seq 16 3 231); do printf '%s' "${e}[48;5;${i}m "; done
	printf '%s\n' "${e}[0m"
	for i in $(seq 0 80 6320); do printf '%s' "${e}[48;2;$((i / 25));$((120 + i / 80));$((255 - i / 25))m "; done
	printf '%s\n' "${e}[0m"
	printf '%s\n' "${e}[1;32muser@vmviz${e}[0m:${e}[1;34m~${e}[0m\$ ls --color=always /usr"
	ls --color=always /usr
}

if [ "${1:-}" = "--demo" ]; then
	demo
	exec sleep 3600 # stay on screen until the shot is taken
fi

VMVIZ=${1:-build/vmviz}
shift || true
export VMVIZ
ONLY=("$@")

# TERM for the programs shot: tmux's own entry has no "bce", so curses
# paints coloured blanks instead of erasing with a colour, which tmux's
# capture would drop (a full-width status bar would lose its colour).
SCREEN_TERM=${SCREEN_TERM:-tmux-256color}
source tests/screenlib.sh

# Installs what is missing, as root or through sudo (Debian).
ensure_tools() {
	local need=()
	command -v tmux >/dev/null || need+=(tmux)
	command -v rsvg-convert >/dev/null || need+=(librsvg2-bin)
	command -v fc-list >/dev/null || need+=(fontconfig)
	fc-list 2>/dev/null | grep -q 'DejaVu Sans Mono' || need+=(fonts-dejavu-core)
	# the talk is in Chinese: without a CJK font those cells draw as boxes
	fc-list ':lang=zh' 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
	[ ${#need[@]} -eq 0 ] && return 0
	echo "installing: ${need[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq || true
	$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
}

# Builds the converter with make; if the rest of the tree does not build at
# the moment, builds it from the cell-grid sources alone.
build_converter() {
	if make --no-print-directory build/tests/tool_ansi2svg >/dev/null 2>&1; then
		ANSI2SVG=build/tests/tool_ansi2svg
		return
	fi
	echo "make build/tests/tool_ansi2svg failed; building it from ui/cellgrid*.c alone"
	mkdir -p build/screenshots
	ANSI2SVG=build/screenshots/ansi2svg
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Iui -Isrc \
		ui/cellgrid.c ui/cellgrid_ansi.c ui/cellgrid_svg.c tests/tool_ansi2svg.c \
		-o "$ANSI2SVG"
}

# Does one STEP of a shot on screen NAME.
do_step() {
	local name=$1 step=$2
	case $step in
	type:*) screen_type "$name" "${step#type:}" ;;
	key:*) read -ra keys <<<"${step#key:}" && screen_send "$name" "${keys[@]}" ;;
	wait:*) screen_wait_for "$name" "${step#wait:}" 10 ;;
	sleep:*) sleep "${step#sleep:}" ;;
	*) echo "unknown step '$step' (type:, key:, wait: or sleep:)" >&2; return 1 ;;
	esac
}

# The window title: the command as a user would type it.
title_of() {
	if [[ $1 == *'#: '* ]]; then
		echo "${1##*#: }"
		return
	fi
	local t=${1//\$VMVIZ/vmviz}
	t=${t//build\/vmviz/vmviz}
	echo "${t#bash tests/}"
}

# Takes one shot: runs, steps, waits, captures, converts.
take_shot() {
	local f name cols rows cmd want step cap
	IFS=$'\x1f' read -ra f <<<"$1"
	name=${f[0]} cols=${f[1]} rows=${f[2]} cmd=${f[3]} want=${f[4]}
	if [[ $cmd == *'$VMVIZ'* && ! -x $VMVIZ ]]; then
		echo "skip $name: $VMVIZ is not built"
		return 2
	fi
	echo "shot $name (${cols}x$rows): $cmd"
	screen_start "$name" "$cols" "$rows" "$cmd"
	for step in "${f[@]:5}"; do
		do_step "$name" "$step" || { screen_stop "$name"; return 1; }
	done
	screen_wait_for "$name" "$want" 10 || { screen_stop "$name"; return 1; }
	screen_wait_stable "$name"
	cap=$(mktemp)
	screen_capture "$name" -e >"$cap"
	screen_stop "$name"
	"$ANSI2SVG" --cols "$cols" --title "$(title_of "$cmd")" <"$cap" >"$OUT/$name.svg"
	rm -f "$cap"
	rsvg-convert --zoom "$SCALE" "$OUT/$name.svg" -o "$OUT/$name.png"
	echo "  -> $OUT/$name.png"
}

# True if shot NAME was asked for (all are, when none is named).
wanted() {
	[ ${#ONLY[@]} -eq 0 ] && return 0
	local n
	for n in "${ONLY[@]}"; do [ "$n" = "$1" ] && return 0; done
	return 1
}

main() {
	ensure_tools
	build_converter
	mkdir -p "$OUT"
	local shot_line rc taken=0 failed=0 skipped=0
	for shot_line in "${SHOTS[@]}"; do
		wanted "${shot_line%%$'\x1f'*}" || continue
		take_shot "$shot_line" && rc=0 || rc=$?
		case $rc in
		0) taken=$((taken + 1)) ;;
		2) skipped=$((skipped + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done
	echo "screenshots: $taken passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

main
