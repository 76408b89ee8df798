#!/usr/bin/env bash
# screen.sh VMVIZ - drives the real vmviz screen in tmux at fixed sizes and
# checks what a user would see: a write faulting a frame in, a swap-out, an
# error under the prompt, resizing (and the too-small message), playback,
# help, completion, history across runs, screenshots, recording, and the
# terminal given back on Ctrl-D. `make screen` runs it.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

# A private home: history and state never touch the user's.

# vmviz NAME COLS ROWS ARGS : starts vmviz; afterwards the shell says it ended.
vmviz() {
	local name=$1 cols=$2 rows=$3
	shift 3
	screen_start "$name" "$cols" "$rows" \
		"env $ENVS '$VMVIZ' $*; echo \"[vmviz exited \$?]\"; stty -a | grep -o -- '-\{0,1\}icanon' | head -1; exec sleep 60"
}

# The status bar's minor-fault count.
minflt() {
	screen_capture "$1" | head -1 | grep -o 'minflt [0-9]*' | grep -o '[0-9]*'
}


echo "== malloc, then a write: a new frame, its owner, the fault count rising"
vmviz a 100 30 --frames 32
screen_wait_for a 'vmviz>'
assert_contains a 'Address space'
assert_contains a 'Physical frames'
assert_contains a 'Page table'
assert_contains a 'kernel space'
assert_contains a 'stack'
# merged rows: no union of permissions, and sizes without the gaps
screen_wait_for a 'libc\.so\.6 +mix +1\.8M'
screen_wait_for a '\[vdso\] \[vvar\] +mix +32K' # [vvar] 16K, [vvar_vclock] 8K, [vdso] 8K, as measured
screen_type a 'p = malloc(8192)'
screen_wait_for a 'p = 0x5555555592a0'
assert_contains a 'heap'
assert_contains a 'brk 55555557a000'
before=$(minflt a)
screen_type a 'p[4096] = 1'
screen_wait_for a 'PTE set: page 0x55555555a000'
after=$(minflt a)
check "minflt rises on the first write ($before -> $after)" test "${after:-0}" -gt "${before:-0}"
assert_contains a 'pid 100 a.out page 0x55555555a000 anon'
assert_contains a 'minor fault (demand zero)'
assert_contains a 'MMU walk 0x55555555a2a0 minor fault'
assert_contains a '55555555a → pfn'
# the frame cell is drawn in the "changed" colour (black on yellow: 220)
if screen_capture a -e | grep -q '48;5;220m'; then _screen_pass; else _screen_fail a 'no highlighted (changed) cell'; fi
echo "== bad input: the error under the prompt, nothing else changes"
screen_type a 'malocc 10'
screen_wait_for a "unknown command 'malocc' \(did you mean 'malloc'\?\)"
last=$(screen_capture a | tail -2 | head -1)
check "the error is on the line under the prompt" grep -q "unknown command 'malocc'" <<<"$last"
echo "== completion, cancel, help"
screen_send a -l 'mal'
screen_send a Tab
screen_wait_for a 'vmviz> malloc'
screen_send a C-c
screen_wait_for a 'vmviz> *$'
screen_send a -l 's'
screen_send a Tab
screen_wait_for a 'completions: .*spawn'
screen_send a C-c
screen_send a '?'
screen_wait_for a 'KEYS'
assert_contains a 'READING THE SCREEN'
screen_send a q
screen_wait_for a 'Physical frames'
assert_not_contains a 'READING THE SCREEN'
echo "== long output (maps) over the panels; Esc gives them back"
screen_type a 'maps'
screen_wait_for a 'Esc closes'
assert_contains a '[heap]'
assert_contains a 'r-xp 00001000'
screen_send a Escape
screen_wait_for a 'Physical frames'
assert_not_contains a 'Esc closes'
echo "== F2: a screenshot as SVG and text"
screen_send a F2
screen_wait_for a 'saved vmviz-[0-9-]+\.svg'
check "screenshot files written" bash -c 'ls vmviz-*.svg vmviz-*.txt >/dev/null 2>&1'
check "the text screenshot holds the screen" bash -c 'grep -q "Physical frames" vmviz-*.txt'
check "the SVG screenshot is an SVG" bash -c 'grep -q "<svg" vmviz-*.svg'
echo "== Ctrl-D leaves and gives the terminal back"
screen_send a C-d
screen_wait_for a '\[vmviz exited 0\]'
assert_not_contains a 'Sanitizer' "no sanitizer report (make asan)"
screen_wait_for a '^-?icanon$' # the shell's stty runs just after vmviz ends
assert_not_contains a '-icanon'
assert_not_contains a 'Physical frames'
screen_stop a

echo "== history persists across runs"
vmviz h 80 24 --frames 32
screen_wait_for h 'vmviz>'
screen_send h Up
screen_wait_for h 'vmviz> maps'
screen_send h Up
screen_wait_for h 'vmviz> malocc 10'
screen_send h C-c
screen_type h 'quit'
screen_wait_for h '\[vmviz exited 0\]'
screen_stop h
hist="$XDG_STATE_HOME/vmviz/history"
check "history file at \$XDG_STATE_HOME/vmviz/history" test -s "$hist"
check "history holds the typed lines" grep -qx 'p\[4096\] = 1' "$hist"

echo "== swap: a slot in the swap panel"
vmviz s 100 30 --frames 8 --swap 16
screen_wait_for s 'vmviz>'
# 32 KiB of RAM and 64 KiB of swap: the heuristic (overcommit 0) would
# refuse malloc's 132 KiB first heap.
screen_type s 'set overcommit 1'
screen_type s 'p = malloc(64K)'
screen_type s 'touch p'
screen_wait_for s 'touched 17 pages'
screen_wait_for s 'slot [0-9]+: pid 100 0x'
screen_wait_for s 'swap [1-9][0-9]*/16'
assert_contains s '→ swap '
screen_send s C-d
screen_stop s

echo "== resize: 80x24 -> 120x40 -> 60x20 (too small) -> 100x30"
vmviz r 80 24 --frames 32
screen_wait_for r 'vmviz>'
screen_type r 'p = malloc(8192)'
screen_wait_for r 'p = 0x5555555592a0'
screen_resize r 120 40
screen_wait_for r 'Address space.*pid 100'
assert_contains r 'resident'
screen_resize r 60 20
screen_wait_for r 'vmviz needs at least 80x24'
assert_contains r 'this window is 60x20'
screen_resize r 100 30
screen_wait_for r 'Physical frames'
assert_not_contains r 'needs at least'
assert_contains r 'vmviz>'
screen_type r 'p[0] = 7'
screen_wait_for r 'write to 0x5555555592a0'
screen_resize r 200 60
screen_wait_for r 'Swap'
assert_contains r 'Physical frames'
screen_send r C-d
screen_wait_for r '\[vmviz exited 0\]'
screen_stop r

echo "== the screenshot command names its files"
vmviz k 100 30 --frames 32
screen_wait_for k 'vmviz>'
screen_type k 'screenshot slide1.svg'
screen_wait_for k 'saved slide1\.svg'
check "slide1.txt holds the screen, slide1.svg is an SVG" bash -c 'grep -q "Physical frames" slide1.txt && grep -q "<svg" slide1.svg'
screen_type k 'screenshot no/such/dir/x'
screen_wait_for k 'screenshot failed: no/such/dir/x\.svg: No such file or directory'
screen_stop k

echo "== playback: slides, captions, back, the prompt, a failed expect"
# screen_play.vmm has 5 slides: say, malloc, say, the write (its two
# expects and the pause ride with it, silently), say.
vmviz p 100 40 play "'$ROOT/tests/screen_play.vmm'"
screen_wait_for p 'step 0/5'
assert_contains p 'Screen test: demand paging in three steps'
screen_send p Space
screen_wait_for p 'step 1/5'
screen_wait_for p 'First, malloc reserves virtual memory only'
# the caption is on its band, not echoed in the log
assert_not_contains p '• First, malloc' "the caption is not repeated in the log"
screen_send p Space
screen_wait_for p 'step 2/5'
assert_contains p 'First, malloc reserves virtual memory only'
assert_contains p 'p = 0x5555555592a0'
screen_send p Right
screen_wait_for p 'step 3/5'
screen_wait_for p 'The first write faults a frame in'
screen_send p Left
screen_wait_for p 'step 2/5'
assert_contains p 'First, malloc reserves virtual memory only'
assert_not_contains p 'replayed' "going back says nothing about replaying"
screen_send p ':'
screen_wait_for p 'vmviz> '
screen_type p 'q = malloc(100)'
screen_wait_for p 'q = 0x'
screen_send p Escape
screen_wait_for p 'Space +next'
# going back keeps the typed line: it is replayed where it was typed
screen_send p Space Space
screen_wait_for p 'step 4/5'
screen_send p Left
screen_wait_for p 'step 3/5'
screen_send p ':'
screen_wait_for p 'vmviz> '
screen_type p 'q'
screen_wait_for p 'q = 0x[0-9a-f]+ \([0-9]+\)'
screen_send p Escape
screen_wait_for p 'Space +next'
# the write is one slide: its passing expect and the pause make no step
# and no "ok:" line; the failing one turns the band red
screen_send p Space
screen_wait_for p 'step 4/5'
screen_wait_for p 'expect rss == 1G failed: rss is'
assert_contains p '(line 12)'
assert_not_contains p 'ok: ' "passing expects are silent"
screen_send p Space
screen_wait_for p 'step 5/5'
assert_contains p 'The end.'
# a presenter's keys: a clicker's PgUp/PgDn and Backspace step, n and p
# jump between captions, q asks once
screen_send p PPage
screen_wait_for p 'step 4/5'
screen_send p BSpace
screen_wait_for p 'step 3/5'
screen_send p NPage
screen_wait_for p 'step 4/5'
screen_send p p
screen_wait_for p 'step 3/5'
assert_contains p 'The first write faults a frame in'
screen_send p p
screen_wait_for p 'step 1/5'
screen_send p n
screen_wait_for p 'step 3/5'
screen_send p n
screen_wait_for p 'step 5/5'
screen_send p q
screen_wait_for p 'quit\? press q again'
screen_send p Left
screen_wait_for p 'step 4/5'
assert_not_contains p 'quit? press q again' "another key cancels the question"
screen_send p q
screen_wait_for p 'quit\? press q again'
screen_send p q
screen_wait_for p '\[vmviz exited 0\]'
assert_not_contains p 'Sanitizer' "no sanitizer report (make asan)"
screen_stop p

echo "== Chinese captions and log (--lang zh)"
vmviz z 100 30 play --lang zh "'$ROOT/tests/screen_play.vmm'"
screen_wait_for z 'step 0/5|步骤 0/5'
screen_send z Space Space
screen_wait_for z '首先，malloc 只保留虚拟内存'
assert_contains z '物理内存'
screen_send z q q
screen_stop z

echo "== mono (NO_COLOR) and ASCII: no colours, no box drawing"
screen_start m 100 30 "env $ENVS NO_COLOR=1 '$VMVIZ' --ascii --frames 32"
screen_wait_for m 'vmviz>'
screen_type m 'p = malloc(8192)'
screen_wait_for m 'p = 0x5555555592a0'
if screen_capture m -e | grep -q $'\e\[[0-9;]*3[0-7]m\|38;5;'; then _screen_fail m 'colours in mono'; else _screen_pass; fi
if screen_capture m | grep -q '[─│┬▶·→]'; then _screen_fail m 'UTF-8 box drawing with --ascii'; else _screen_pass; fi
assert_contains m '- Address space ---'
screen_stop m

echo "== fatal signals: the terminal is restored, the signal re-raised"
for sig in TERM SEGV; do
	vmviz k 80 24 --frames 32
	screen_wait_for k 'vmviz>'
	pane=$(_screen_tmux display-message -p -t k '#{pane_pid}')
	child=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -1)
	check "found the vmviz process for SIG$sig" test -n "$child"
	[ -n "$child" ] && kill -s "$sig" "$child"
	code=$((128 + $(kill -l "$sig")))
	screen_wait_for k "\\[vmviz exited $code\\]"
	screen_wait_for k '^-?icanon$'
	assert_not_contains k '-icanon'
	assert_not_contains k 'Physical frames'
	screen_stop k
done

echo "== --record: an asciicast v2 file"
vmviz c 80 24 --frames 32 --record demo.cast
screen_wait_for c 'vmviz>'
screen_type c 'p = malloc(8192)'
screen_wait_for c 'p = 0x5555555592a0'
screen_send c C-d
screen_wait_for c '\[vmviz exited 0\]'
screen_stop c
check "cast header" bash -c 'head -1 demo.cast | grep -q "^{\"version\": 2, \"width\": 80, \"height\": 24, \"timestamp\": [0-9]*, \"title\": \"vmviz\""'
check "cast output events" bash -c 'sed -n 2p demo.cast | grep -q "^\[[0-9.]*, \"o\", \""'
check "cast holds the session" grep -q '5555555592a0' demo.cast
if command -v python3 >/dev/null; then
	check "every cast line is JSON" python3 -c '
import json, sys
for line in open("demo.cast", encoding="utf-8"):
    json.loads(line)'
fi

echo "== the walk panel: kernel and non-canonical addresses are a SIGSEGV"
vmviz w 100 30 --frames 32
screen_wait_for w 'vmviz>'
screen_type w 'translate 0xffff800000000000'
screen_wait_for w 'kernel space: SIGSEGV from user mode'
screen_type w 'translate 0x800000000000'
screen_wait_for w 'non-canonical address: SIGSEGV'
screen_stop w

echo "== an unknown or dumb TERM: a clear message, then the headless mode"
for t in nonexistent-term dumb; do
	screen_start "t$t" 80 24 "env TERM=$t HOME='$HOME' '$VMVIZ'; echo \"[vmviz exited \$?]\"; exec sleep 60"
	screen_wait_for "t$t" 'no screen on this terminal'
	screen_type "t$t" 'ps'
	screen_wait_for "t$t" 'PID NAME'
	screen_send "t$t" C-d
	screen_wait_for "t$t" '\[vmviz exited 0\]'
	assert_contains "t$t" "TERM is $t"
	screen_stop "t$t"
done

echo "== output: help wraps words under its description column; short output leaves the panels"
vmviz o 80 24 --frames 32
screen_wait_for o 'vmviz>'
screen_type o 'help'
screen_wait_for o 'Esc closes'
# "...tcache, bins," ends a row; the rest hangs under the description
# (it was cut mid-word: "...mmap at or abov" / "e" at column 0)
assert_contains o "glibc 2.36's malloc: tcache, bins,"
screen_wait_for o '^ {30,}top chunk; mmap only if they can.t'
if screen_capture o | grep -Eq '^ ?[a-z]{1,3}$'; then _screen_fail o 'a word cut at the screen edge'; else _screen_pass; fi
screen_send o Escape
screen_resize o 100 30
screen_type o 'p = malloc(8192)'
screen_type o 'translate p'
screen_wait_for o 'physical address 0x'
# four lines of walk: a small pane under the status bar, the frames still shown
assert_contains o 'Esc closes'
assert_contains o 'Physical frames'
screen_type o 'fork'
screen_wait_for o 'child 101|101'
# the status bar makes room for the child before hiding it behind "…"
check "the status bar shows the forked child" bash -c "TMUX='' tmux -L '$SCREEN_SOCKET' capture-pane -p -t o | head -1 | grep -q '101 a.out'"
screen_stop o

echo "== completion knows where it is: settings after set, policies after set policy, pids after proc"
vmviz t 100 30 --frames 32
screen_wait_for t 'vmviz>'
screen_type t 'fork'
screen_send t -l 'set '
screen_send t Tab Tab
screen_wait_for t 'completions: frames  lang  policy  swap  tlb *$'
screen_send t C-u
screen_send t -l 'set policy '
screen_send t Tab Tab
screen_wait_for t 'completions: clock  fifo  lru *$'
screen_send t C-u
screen_send t -l 'proc '
screen_send t Tab Tab
screen_wait_for t 'completions: 100  101 *$'
screen_send t C-u
screen_send t -l 'mmap 4K '
screen_send t Tab Tab
screen_wait_for t 'completions: none  r  rw  rwx  rx  shared *$'
screen_stop t

echo "== 32-bit x86: 8-digit addresses, no NX bit in the page table"
vmviz x 100 30 --arch x86 --frames 32
screen_wait_for x 'vmviz>'
screen_type x 'p = malloc(8192)'
screen_type x 'p[0] = 1'
screen_wait_for x 'write to 0x5655a1a0'
assert_contains x 'ffffe000 kernel space'
assert_not_contains x '00000000ffffe000'
assert_contains x 'brk 5657c000'
assert_contains x 'P W U A D    5655a000'
assert_not_contains x 'NX'
screen_stop x

echo "== mono: the status bar stays one reversed bar; legend swatches show a sample"
screen_start n 100 30 "env $ENVS NO_COLOR=1 '$VMVIZ' --frames 32"
screen_wait_for n 'vmviz>'
screen_type n 'p = malloc(8192)'
screen_wait_for n 'p = 0x5555555592a0'
# row 0 starts in reverse video (7) and every reset (0;...) turns it back on
# at once: bold values used to punch holes in the bar ("\e[0;1m")
sgr=$(screen_capture n -e | head -1 | grep -o $'\e\[[0-9;]*m')
holes=$( { head -1 <<<"$sgr" | grep -v '7'; grep -E $'^\e\[0(;[0-9]+)*m$' <<<"$sgr" | grep -v ';7'; } | grep -c .)
check "mono status bar without holes ($holes)" test "$holes" -eq 0
assert_contains n '12 shared'
screen_stop n

echo "== Chinese: the columns of the address space, the frame's kind, the grid's words"
vmviz y 100 30 --lang zh --frames 32
screen_wait_for y 'vmviz>'
screen_type y 'p = malloc(100)'
screen_wait_for y '物理页 7'
assert_contains y '权限 大小'
assert_contains y '虚拟页 0x555555559000 匿名'
check "the frame grid names kernel, zero-page and page-cache frames in Chinese" \
	bash -c "grep -q '^ 0  内核   零页  .*缓存' <<<\"\$1\"" _ "$(screen_capture y)"
screen_stop y

echo "== 4M frames (16 GiB): quick to start, 2 GiB touched at once, the frames panel summarises"
vmviz g 100 30 --frames 4M
screen_wait_for g 'vmviz>'
assert_contains g '4194304 frames'
screen_type g 'p = mmap(2G, rw)'
screen_type g 'touch p'
screen_wait_for g 'touched 524288 pages: 524288 minor' 20
assert_contains g 'a cell = '
# the first row is full (the kernel's sixteenth and the 2 GiB), the last empty
check "summary cells show used and free runs" \
	bash -c "grep -q '^ *0 █████' <<<\"\$1\" && grep -Eq '^ *[0-9]+ ·········' <<<\"\$1\"" _ "$(screen_capture g)"
screen_type g 'p[4096] = 7'
screen_wait_for g 'hit, page in frame'
screen_stop g

echo "== the bytes: dump in the log, the focused frame's bytes under the grid (120x40), and at 80x24"
vmviz d 120 40 --frames 32
screen_wait_for d 'vmviz>'
screen_type d 'p = malloc(100)'
screen_type d 'strcpy(p, "secret message")'
screen_type d '*(p + 20) = 0x41'
screen_type d 'dump p 48'
screen_wait_for d '5555555592a0: 7365 6372 6574 206d 6573 7361 6765 0000  secret message\.\.'
assert_contains d '5555555592b0: 0000 0000 4100 0000 0000 0000 0000 0000  ....A...'
# frame 7 holds the heap's first page: its bytes at physical 7 * 4096 + 0x2a0
assert_contains d '000072a0: 7365 6372 6574 206d 6573 7361 6765 0000  secret message..'
screen_type d 'dump 0x10'
screen_wait_for d 'dump: 0x10 is not readable \(EFAULT\): nothing read'
screen_type d 'smaps'
screen_wait_for d 'VmFlags: rd mr mw me'
assert_contains d 'Esc closes'
screen_send d Escape
screen_send d -l 'dum'
screen_send d Tab
screen_wait_for d 'vmviz> dump'
screen_send d C-c
screen_send d -l 'status '
screen_send d Tab
screen_wait_for d 'vmviz> status 100'
screen_send d C-c
screen_type d 'status'
screen_wait_for d 'VmSwap:'
screen_stop d
vmviz e 80 24 --frames 32
screen_wait_for e 'vmviz>'
screen_type e 'p = malloc(100)'
screen_type e 'write p "secret"'
screen_type e 'dump p 16'
screen_wait_for e '5555555592a0: 7365 6372 6574 0000 0000 0000 0000 0000  secret\.\.\.\.'
screen_type e 'memcpy(p + 8, 0x10, 4)'
screen_wait_for e 'Segmentation fault: process 100 killed'
# the message line (row 23 of 24) says it in the error colour, not as a result
check "the SIGSEGV message is red (colour 203), not green" \
	bash -c "sed -n 23p <<<\"\$1\" | grep -q '38;5;203m.*Segmentation fault'" _ "$(screen_capture e -e)"
screen_stop e
echo "== why and cost: explain over the panels, reasons in the log, the clock in the status line (80x24, 120x40, en, zh)"
for size in "80 24" "120 40"; do
	for lang in en zh; do
		vmviz w $size --frames 8 --swap 16 --lang $lang
		screen_wait_for w 'vmviz>'
		# the clock starts at the prompt; the status bar keeps it at 80 columns in both languages
		if [ $lang = en ]; then screen_wait_for w 't=0 ns +free 1/6'; else screen_wait_for w '耗时 0 ns +空闲 1/6'; fi
		screen_type w 'a = mmap(8K)'
		screen_type w 'touch a'
		if [ $lang = en ]; then screen_wait_for w 't=3\.20 µs'; else screen_wait_for w '耗时 3\.20 µs'; fi
		check "the status bar ends with the policy ($size $lang)" bash -c "head -1 <<<\"\$1\" | grep -Eq 'clock *\$'" _ "$(screen_capture w)"
		screen_type w 'explain'
		if [ $lang = en ]; then
			screen_wait_for w 'why: touch a \(13 events, simulated time 3\.20 µs\)'
		else
			screen_wait_for w '原因：touch a（13 个事件，模拟耗时 3\.20 µs）'
		fi
		screen_send w Escape
		screen_type w 'set disk hdd'
		screen_type w 'x = a[0]'      # swapped out? either way the clock moves on
		screen_type w 'stats'
		if [ $lang = en ]; then screen_wait_for w 'simulated time .* \(disk: hdd\)'; else screen_wait_for w '模拟耗时 .*（磁盘：机械硬盘）'; fi
		screen_send w Escape
		# a decision's reason, dim, under its event in the log
		screen_type w 'set overcommit 1'
		screen_type w 'p = malloc(200K)'
		screen_type w 'free p'
		if [ "${size#* }" -ge 30 ]; then
			if [ $lang = en ]; then screen_wait_for w 'why: threshold now 208896 because'; else screen_wait_for w '原因：mmap 阈值现在是 208896'; fi
		else
			# three log rows keep the event itself; the reason is explain's
			if [ $lang = en ]; then screen_wait_for w 'mmapped chunk, unmapped; mmap threshold raised to 204K'; else screen_wait_for w 'mmap 阈值升到 204K'; fi
			assert_not_contains w "$([ $lang = en ] && echo 'why: ' || echo '原因：')" "no reason in a 3-row log ($size $lang)"
			screen_type w 'explain'
			if [ $lang = en ]; then screen_wait_for w 'why: threshold now 208896 because'; else screen_wait_for w '原因：mmap 阈值现在是 208896'; fi
		fi
		screen_stop w
	done
done

screen_summary
