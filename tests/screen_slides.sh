#!/usr/bin/env bash
# screen_slides.sh VMVIZ [ANSI2SVG] - playback as a lecturer uses it, for every
# scenario at 100x30 (a projector share): a slide looks exactly the same,
# colours and highlights included, whether it was reached going forward or
# by going past it and coming back (g N+3, then Left three times).
# `make screen` runs it.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANSI2SVG=$(cd "$(dirname "${2:-build/tests/tool_ansi2svg}")" && pwd)/$(basename "${2:-build/tests/tool_ansi2svg}")
[ -x "$ANSI2SVG" ] || { echo "screen_slides.sh: no converter at $ANSI2SVG" >&2; exit 2; }
# tmux-256color: coloured blanks are kept in the capture (see screenlib.sh)
SCREEN_TERM=tmux-256color
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

# The number of slides, from "step 0/N" on the progress line.
slides() {
	screen_capture "$1" | grep -o 'step 0/[0-9]*' | head -1 | cut -d/ -f2
}

# cells NAME FILE: the screen, cell by cell with its colours, in a form
# that does not depend on how tmux happened to write the escapes.
cells() {
	screen_capture "$1" -e | "$ANSI2SVG" --cols 100 >"$2"
}

# goto NAME N: `g N Enter`, then waits for "step N/".
goto() {
	screen_send "$1" g
	screen_wait_for "$1" 'go to step' >/dev/null
	# shellcheck disable=SC2046 # one key per digit
	screen_send "$1" $(echo "$2" | sed 's/./& /g') Enter
	screen_wait_for "$1" "step $2/" >/dev/null
}

echo "== every scenario: slide N forward equals slide N after going back to it"
for f in "$ROOT"/scenarios/*.vmm; do
	name=$(basename "$f" .vmm)
	screen_start s 100 30 "'$VMVIZ' play '$f'; exec sleep 60"
	screen_wait_for s 'step 0/' >/dev/null || { screen_stop s; continue; }
	n=$(slides s)
	for want in $((n / 3)) $((2 * n / 3)); do
		[ "$want" -ge 1 ] || continue
		goto s "$want"
		sleep 0.2
		cells s "$TMP/fwd"
		back=$((want + 3 > n ? n : want + 3))
		goto s "$back"
		for _ in $(seq $((back - want))); do screen_send s Left; done
		screen_wait_for s "step $want/" >/dev/null
		sleep 0.2
		cells s "$TMP/back"
		if cmp -s "$TMP/fwd" "$TMP/back"; then
			_screen_pass
		else
			_screen_fail s "$name: slide $want/$n differs going back ($((back - want)) x Left from $back)"
			screen_capture s >"$TMP/back.txt"
			diff "$TMP/fwd" "$TMP/back" | head -20 >&2
		fi
	done
	screen_stop s
done

echo "== titles fit at 80x24, in English and in Chinese, on the title slide and the progress line"
for f in "$ROOT"/scenarios/*.vmm; do
	title=$(sed -n 's/^# title: //p' "$f" | head -1)
	en=${title%% / *}
	zh=${title#* / }
	for lang in en zh; do
		want=$en
		[ "$lang" = zh ] && want=$zh
		screen_start t 80 24 "'$VMVIZ' --lang $lang play '$f'; exec sleep 60"
		screen_wait_for t 'step 0/|步骤 0/' >/dev/null
		shown=$(screen_capture t)
		# twice: centred on the title slide, and on the progress line
		if [ "$(printf '%s\n' "$shown" | grep -cF -- "$want")" -ge 2 ]; then
			_screen_pass
		else
			_screen_fail t "$(basename "$f") --lang $lang: the title '$want' is not shown whole twice"
		fi
		other=$zh
		[ "$lang" = zh ] && other=$en
		assert_not_contains t "$other" "$(basename "$f") --lang $lang shows one language's title"
		screen_stop t
	done
done

echo "== vmviz play DIR: a menu in order; the end moves on, q goes back to the menu"
mkdir -p "$TMP/talk"
cp "$ROOT/scenarios/10-lru-clock-fifo.vmm" "$ROOT/scenarios/03-physical-memory.vmm" "$TMP/talk/"
screen_start l 100 30 "'$VMVIZ' play '$TMP/talk'; echo \"[vmviz exited \$?]\"; exec sleep 60"
screen_wait_for l 'the scenarios of this lecture, in order'
screen_wait_for l ' 1  Physical memory: the real RAM'
assert_contains l ' 2  FIFO, LRU and CLOCK on the same workload'
screen_send l Enter
screen_wait_for l 'step 0/.*Physical memory: the real RAM'
screen_send l End
screen_wait_for l 'the end: Space plays the next'
screen_send l Space
screen_wait_for l 'step 0/61 │ FIFO, LRU and CLOCK'
# its own "# options:" line: 5 frames, FIFO
screen_wait_for l '5 frames · fifo'
screen_send l q q
screen_wait_for l ' 2  FIFO, LRU and CLOCK on the same workload'
screen_send l q
screen_wait_for l '\[vmviz exited 0\]'
screen_stop l
screen_start l 100 30 "'$VMVIZ' --lang zh play 11 '$ROOT/scenarios/12-fork-cow.vmm'; exec sleep 60"
screen_wait_for l '这次讲课的场景'
screen_wait_for l ' 1  Belady 异常'
assert_contains l ' 2  fork 与写时复制'
screen_stop l

echo "== --lang zh: no English word on the screen but names (scenarios/GLOSSARY.zh.md)"
# The names the glossary keeps in English; single letters (keys, variables,
# PTE bits), hex numbers, frame labels with their R/D marks (fffeRD) and
# permissions (rw-, r-x) are not words. The
# user's command echo (› ...) and /proc-format output panes are code.
ALLOW='a\.out|libc\.so\.6|ld-linux.*|linux\.so\.2|vdso|vvar|vvar_vclock|vsyscall|bss|hog|ls|prog|usr|lib|gnu|home|user'
ALLOW+='|malloc|calloc|realloc|free|brk|sbrk|mmap|munmap|mremap|mprotect|fork|exit|kill|spawn|compare|off|touch|write|read'
ALLOW+='|memset|memcpy|strcpy|call|return|printf|main|big|secret|fill|sp|Hello|stack'
ALLOW+='|glibc|tcache|fastbin|bin|top|VMA|TASK_SIZE|MMU|TLB|PGD|PUD|PMD|PTE|pfn|vpn|NX|PAE|OOM|killer|badness'
ALLOW+='|overcommit|overcommit_ratio|CommitLimit|Committed_AS|ulimit|SIGSEGV|SIGABRT|PID|NAME|VSZ|RSS|MINFLT|MAJFLT'
ALLOW+='|FIFO|LRU|CLOCK|OPT|fifo|lru|clock|opt|Belady|KiB|MiB|GiB|kB|Space|Esc|PgUp|PgDn|Enter|F[1-9]|F1[0-2]|vmviz|swap'
ALLOW+='|RAM|Page|Fault|Demand|Paging|thrashing|use|after|x86|x86_64|x86-64|x86_64-linux-gnu|libc|heap|M_TOP_PAD|ELF'
ALLOW+='|ns|ms'
for f in "$ROOT"/scenarios/*.vmm; do
	screen_start z 100 30 "'$VMVIZ' --lang zh play '$f'; exec sleep 60"
	screen_wait_for z '步骤 0/' >/dev/null
	n=$(screen_capture z | grep -o '步骤 0/[0-9]*' | cut -d/ -f2)
	bad=""
	for want in 0 $((n / 3)) $((2 * n / 3)) "$n"; do
		if [ "$want" -gt 0 ]; then
			screen_send z g
			sleep 0.1
			# shellcheck disable=SC2046 # one key per digit
			screen_send z $(echo "$want" | sed 's/./& /g') Enter
			screen_wait_for z "步骤 $want/" >/dev/null
			sleep 0.2
		fi
		words=$(screen_capture z | grep -v '^ *›' | grep -v '^─ ›' | tr -c 'A-Za-z0-9_.\n-' ' ' | tr ' ' '\n' |
			sed 's/\.$//' | grep -E '^[A-Za-z][A-Za-z0-9_.-]+$' | grep -vE '^[0-9a-f-]+$|^[0-9a-f]+R?D?$|^[rwxps-]+$' |
			grep -vxE "$ALLOW" | sort -u | tr '\n' ' ')
		[ -n "$words" ] && bad+="step $want: $words; "
	done
	if [ -z "$bad" ]; then _screen_pass; else _screen_fail z "$(basename "$f") --lang zh shows English: $bad"; fi
	screen_stop z
done

echo "== a caption typed at ':' goes up on the band, and comes back with its step"
screen_start c 100 30 "'$VMVIZ' play '$ROOT/tests/screen_play.vmm'; exec sleep 60"
screen_wait_for c 'step 0/5'
screen_send c Space Space ':'
screen_wait_for c 'vmviz> '
screen_type c 'say "a typed caption"'
screen_wait_for c '^ +a typed caption *$'
screen_send c Escape
screen_wait_for c 'Space +next'
screen_send c Space
screen_wait_for c 'The first write faults a frame in'
screen_send c Left
screen_wait_for c '^ +a typed caption *$'
screen_stop c

echo "== moments: a banner on the step, the process that left marked until the next"
screen_start m 100 30 "'$VMVIZ' play '$ROOT/tests/screen_moments.vmm'; exec sleep 60"
screen_wait_for m 'step 0/8'
goto m 7
screen_wait_for m 'SIGABRT: glibc found its heap corrupted, process 101 aborted'
assert_contains m '✗101 a.out killed: SIGABRT'
screen_send m Space
screen_wait_for m 'step 8/8'
assert_not_contains m 'process 101 aborted' "the banner lasts one step"
assert_not_contains m '✗101' "the mark lasts one step"
screen_send m Left
screen_wait_for m 'step 7/8'
screen_wait_for m '✗101 a.out killed: SIGABRT'
screen_stop m
screen_start m 100 30 "'$VMVIZ' --lang zh play '$ROOT/tests/screen_moments.vmm'; exec sleep 60"
screen_wait_for m '步骤 0/8'
screen_send m End
screen_send m Left
screen_wait_for m 'SIGABRT：glibc 发现堆被破坏，进程 101 中止'
screen_stop m

# the scenarios' own moments, at the step they happen
moment() { # FILE N TEXT...
	local f=$1 n=$2
	shift 2
	screen_start m 100 30 "'$VMVIZ' play '$ROOT/scenarios/$f'; exec sleep 60"
	screen_wait_for m 'step 0/' >/dev/null
	goto m "$n"
	for t in "$@"; do screen_wait_for m "$t"; done
	screen_stop m
}
moment 13-oom-kill.vmm 11 'OOM killer: RAM and swap full, process 100 killed' '✗100 a.out killed: OOM'
moment 01-why-virtual-memory.vmm 26 'SIGSEGV: process 101 killed \(0x7ffff7fbf000, no mapping\)' '✗101 a.out killed: SIGSEGV'
moment 12-fork-cow.vmm 12 'copy-on-write: 1 page copied'
moment 08-swap.vmm 18 '1 page evicted · 1 written to swap · 1 read back from swap \(major fault\)'
moment 12-fork-cow.vmm 21 'process 101 \(a.out\) exited' '✗101 a.out exited'

echo "== auto-play stays on a caption long enough to read it; a caption closes the last output pane"
# 11's first caption is 83 columns: 1.5 s + 50 ms a column = 5.65 s at the
# default speed, where a command step takes 1.8 s.
screen_start a 100 30 "'$VMVIZ' play '$ROOT/scenarios/11-belady-fifo.vmm'; exec sleep 60"
screen_wait_for a 'step 0/' >/dev/null
screen_send a a
screen_wait_for a 'step 1/'
sleep 4
assert_contains a 'step 1/' "auto-play left an 83-column caption within 4 s"
screen_wait_for a 'step 2/' 5
screen_stop a
# 02: `maps` opens its pane (step 2); the next step is a caption
screen_start a 100 30 "'$VMVIZ' play '$ROOT/scenarios/02-address-space-layout.vmm'; exec sleep 60"
screen_wait_for a 'step 0/' >/dev/null
goto a 2
screen_wait_for a 'Esc closes'
screen_send a Space
screen_wait_for a 'step 3/'
assert_not_contains a 'Esc closes' "a caption step leaves the output pane open"
screen_wait_for a '555555554000 ELF hdr'
screen_stop a

screen_summary
