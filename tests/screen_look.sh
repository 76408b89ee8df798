#!/usr/bin/env bash
# screen_look.sh VMVIZ - how the screen looks, whatever the terminal: the
# screenshot command gives the same SVG under xterm-256color, tmux-256color,
# screen and linux (the theme's own colours, never the terminal's); the
# light theme paints its own white ground; marks are letters (R D, - r);
# NO_COLOR stays mono; --lang zh without a UTF-8 locale switches to one or
# says why it shows English; the headless fallback names its real reason;
# exit hints that quit leaves vmviz. Each at 80x24 and 120x40.
# `make screen` runs it.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

SIZES="80x24 120x40"

# A system without any UTF-8 locale, which this one cannot be made into.
SHIM="$TMP/no_utf8_locale.so"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -shared -fPIC "$ROOT/tests/shims/no_utf8_locale.c" -o "$SHIM" -ldl ||
	{ echo "screen_look.sh: cannot build the locale shim" >&2; exit 2; }
# An ASan build wants its runtime first in the preload list.
PRELOAD=$SHIM
ASAN_LIB=$(ldd "$VMVIZ" 2>/dev/null | awk '/libasan/ { print $3 }')
[ -n "$ASAN_LIB" ] && PRELOAD="$ASAN_LIB $SHIM"

# shoot NAME TERM COLS ROWS DIR ARGS... : a screen with two processes, a
# fault, an error and a read-only page, saved by the screenshot command
# as DIR/x.svg and DIR/x.txt.
shoot() {
	local name=$1 term=$2 cols=$3 rows=$4 dir=$5
	shift 5
	mkdir -p "$dir"
	SCREEN_TERM=$term screen_start "$name" "$cols" "$rows" "cd '$dir' && env $ENVS '$VMVIZ' $*"
	screen_wait_for "$name" 'vmviz>'
	screen_type "$name" 'p = malloc(8192)'
	screen_type "$name" 'p[0] = 1'
	screen_type "$name" 'c = fork()'
	screen_type "$name" 'p[4096] = 2'
	screen_type "$name" 'no such command'
	screen_wait_for "$name" "unknown command 'no'"
	screen_type "$name" 'screenshot x'
	screen_wait_for "$name" 'saved x\.svg'
}

echo "== the screenshot command: one SVG whatever TERM says"
for size in $SIZES; do
	cols=${size%x*} rows=${size#*x}
	for theme in default light contrast; do
		for term in xterm-256color tmux-256color screen linux; do
			shoot "s$term" "$term" "$cols" "$rows" "$TMP/$size-$theme-$term" --theme "$theme"
			screen_stop "s$term"
		done
		ref="$TMP/$size-$theme-xterm-256color/x.svg"
		for term in tmux-256color screen linux; do
			check "$size $theme: the SVG under $term is the one under xterm-256color" \
				cmp -s "$ref" "$TMP/$size-$theme-$term/x.svg"
			check "$size $theme: the text under $term is the one under xterm-256color" \
				cmp -s "${ref%.svg}.txt" "$TMP/$size-$theme-$term/x.txt"
		done
	done
	svg="$TMP/$size-default-xterm-256color/x.svg"
	# 236 (the status bar) read back with color_content() was #0000ff
	check "$size: no colour the theme never uses (#0000ff)" bash -c "! grep -q '#0000ff' '$svg'"
	check "$size: the status bar's grey 236 (#303030)" grep -q 'fill="#303030"' "$svg"
	check "$size: the changed frame's yellow (220, #ffd700)" grep -q '#ffd700' "$svg"
	light="$TMP/$size-light-xterm-256color/x.svg"
	check "$size light: a white page (231, #ffffff)" grep -q '<rect width="[0-9.]*" height="[0-9.]*" rx="8" fill="#ffffff"' "$light"
	check "$size light: black text (16, #000000)" grep -q 'fill="#000000"' "$light"
done

echo "== the light theme on the terminal: its own white ground, letters for marks"
for size in $SIZES; do
	cols=${size%x*} rows=${size#*x}
	SCREEN_TERM=tmux-256color screen_start "l$size" "$cols" "$rows" "env $ENVS '$VMVIZ' --theme light --frames 32"
	screen_wait_for "l$size" 'vmviz>'
	screen_type "l$size" 'p = malloc(8192)'
	screen_type "l$size" 'p[4096] = 1'
	screen_wait_for "l$size" 'PTE set: page 0x55555555a000'
	cap=$(screen_capture "l$size" -e)
	check "$size light: cells on white (48;5;231)" grep -q '48;5;231' <<<"$cap"
	check "$size light: no cell left on the terminal's own ground (49)" bash -c "! grep -q '\[49m' <<<\"\$1\"" _ "$cap"
	# a read-only page's W bit is an r, clear bits are -, never a dot
	screen_wait_for "l$size" 'pfn [0-9]+ +P r U A'
	check "$size: no dot for a clear PTE bit" bash -c "! grep -Eq '→ pfn [0-9×]+ +P [·.]' <<<\"\$1\"" _ "$(screen_capture "l$size")"
	check "$size: the written frame is marked R and D" grep -Eq '[0-9a-f]{2,}R?D' <<<"$(screen_capture "l$size")"
	screen_stop "l$size"
done

echo "== NO_COLOR stays mono, in every theme"
for size in $SIZES; do
	cols=${size%x*} rows=${size#*x}
	SCREEN_TERM=tmux-256color screen_start "m$size" "$cols" "$rows" "env $ENVS NO_COLOR=1 '$VMVIZ'"
	screen_wait_for "m$size" 'vmviz>'
	screen_type "m$size" 'p = malloc(8192)'
	screen_type "m$size" 'p[4096] = 1'
	screen_wait_for "m$size" 'PTE set'
	# colours set (30-38, 40-48, 90-97, 100-107); 39/49 only reset them
	check "$size NO_COLOR: no colour escapes" bash -c "! grep -Eq $'\\e\\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]' <<<\"\$1\"" _ "$(screen_capture "m$size" -e)"
	screen_stop "m$size"
done

echo "== --lang zh without a UTF-8 locale"
NOLANG="env -u LANG -u LC_ALL -u LC_CTYPE -u LC_MESSAGES"
for size in $SIZES; do
	cols=${size%x*} rows=${size#*x}
	# LANG unset: C.UTF-8 exists here, so the Chinese screen shows
	screen_start "z$size" "$cols" "$rows" "$NOLANG $ENVS '$VMVIZ' --lang zh"
	screen_wait_for "z$size" 'vmviz>'
	screen_wait_for "z$size" '物理内存'
	assert_not_contains "z$size" '??'
	screen_stop "z$size"
	# and on a system with no UTF-8 locale at all: English, and why
	screen_start "n$size" "$cols" "$rows" \
		"$NOLANG LD_PRELOAD='$PRELOAD' $ENVS '$VMVIZ' --lang zh; echo \"[vmviz exited \$?]\"; exec sleep 60"
	screen_wait_for "n$size" 'vmviz>'
	screen_wait_for "n$size" 'no UTF-8 locale for --lang zh \(LANG is unset'
	screen_wait_for "n$size" 'Physical frames'
	assert_not_contains "n$size" '??'
	screen_type "n$size" 'quit'
	screen_wait_for "n$size" '\[vmviz exited 0\]'
	# said on the terminal too, where it stays after the screen is gone
	screen_wait_for "n$size" 'vmviz: no UTF-8 locale for --lang zh'
	screen_stop "n$size"
done

echo "== the headless fallback names its reason"
for size in $SIZES; do
	cols=${size%x*} rows=${size#*x}
	screen_start "p$size" "$cols" "$rows" "env $ENVS '$VMVIZ' | cat; echo \"[vmviz exited \$?]\"; exec sleep 60"
	screen_wait_for "p$size" 'standard output is not a terminal'
	assert_not_contains "p$size" 'TERM is'
	screen_type "p$size" 'ps'
	screen_wait_for "p$size" 'PID NAME'
	screen_send "p$size" C-d
	screen_wait_for "p$size" '\[vmviz exited 0\]'
	screen_stop "p$size"
	screen_start "d$size" "$cols" "$rows" "env TERM=dumb $ENVS '$VMVIZ'; echo \"[vmviz exited \$?]\"; exec sleep 60"
	screen_wait_for "d$size" 'TERM is dumb: it cannot move the cursor'
	screen_send "d$size" C-d
	screen_wait_for "d$size" '\[vmviz exited 0\]'
	screen_stop "d$size"
done

echo "== exit ends the process, and a hint says quit leaves vmviz"
for size in $SIZES; do
	cols=${size%x*} rows=${size#*x}
	screen_start "e$size" "$cols" "$rows" "env $ENVS '$VMVIZ'; echo \"[vmviz exited \$?]\"; exec sleep 60"
	screen_wait_for "e$size" 'vmviz>'
	screen_type "e$size" 'exit'
	screen_wait_for "e$size" 'vmviz runs on: quit, F10 or Ctrl-D leaves it'
	screen_type "e$size" 'quit'
	screen_wait_for "e$size" '\[vmviz exited 0\]'
	screen_stop "e$size"
	screen_start "c$size" "$cols" "$rows" "env $ENVS '$VMVIZ' --lang zh"
	screen_wait_for "c$size" 'vmviz>'
	screen_type "c$size" 'exit'
	screen_wait_for "c$size" 'vmviz 仍在运行：quit、F10 或 Ctrl-D 退出 vmviz'
	screen_stop "c$size"
done

screen_summary
