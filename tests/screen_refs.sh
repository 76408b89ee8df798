#!/usr/bin/env bash
# screen_refs.sh VMVIZ - the reference-string table on a 100x30 screen, in
# English and Chinese: scenarios 10 and 11 and `play --trace` show the
# string, the frames under each access, an F per fault and the running count,
# and the counts match the captions (FIFO on Belady's string: 9 faults with
# 3 frames, 10 with 4; OPT 7). `make screen` runs it.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

# forward_to NAME REGEX: Space until a line matches REGEX (at most 120 steps).
forward_to() {
	local i
	for i in $(seq 120); do
		if screen_capture "$1" | grep -Eq -- "$2"; then
			_screen_pass
			return 0
		fi
		screen_send "$1" Space
		sleep 0.05
	done
	_screen_fail "$1" "never showed /$2/"
}

# table_row NAME LABEL: the table's row LABEL (the right-hand panel), cells only.
table_row() {
	screen_capture "$1" | sed -n "s/^.*│$2  *//p" | head -1
}

# check_table NAME FAULT_LABEL FAULTS_LABEL WANT: the fault row has WANT F's,
# and the running count ends at WANT.
check_table() {
	local marks count
	marks=$(table_row "$1" "$2" | tr -cd 'F' | wc -c)
	count=$(table_row "$1" "$3" | awk '{print $NF}')
	if [ "$marks" -eq "$4" ] && [ "$count" = "$4" ]; then
		_screen_pass
	else
		_screen_fail "$1" "table: $marks F marks, count '$count', want $4"
	fi
}

echo "== scenario 11 at 100x30, English"
screen_start e 100 30 "'$VMVIZ' play '$ROOT/scenarios/11-belady-fifo.vmm'; exec sleep 60"
screen_wait_for e 'step 0/'
forward_to e 'Reference string .* fifo · 3 frames'
assert_contains e 'pages 1-5 = VPN 7ffff7fbb-7ffff7fbf'
forward_to e '3 frames: 9 faults for the string'
check_table e fault faults 9
assert_contains e '12 of 12 accesses: 9 faults, 3 hits'
row=$(table_row e 'frame 2')
if [ "$row" = '3  3  3  2  2  2  2  2  4  4' ]; then _screen_pass; else _screen_fail e "frame 2 row is '$row'"; fi
forward_to e '4 frames: 10 faults'
check_table e fault faults 10
assert_contains e 'fifo · 4 frames'
assert_contains e '12 of 12 accesses: 10 faults, 2 hits'
forward_to e 'OPT: 7 faults'
check_table e fault faults 7
assert_contains e 'opt · 3 frames'
screen_stop e

echo "== scenario 11 at 100x30, Chinese"
screen_start z 100 30 "'$VMVIZ' --lang zh play '$ROOT/scenarios/11-belady-fifo.vmm'; exec sleep 60"
screen_wait_for z '步骤 0/'
forward_to z '访问序列 .* fifo · 3 个物理页'
assert_contains z '第 1-5 页 = 虚拟页 7ffff7fbb-7ffff7fbf'
forward_to z '3 个物理页：这串访问缺页 9 次'
check_table z 缺页 累计缺页 9
assert_contains z '12/12 次访问：缺页 9 次，命中 3 次'
forward_to z '4 个物理页：这串访问缺页 10 次'
check_table z 缺页 累计缺页 10
screen_stop z

echo "== scenario 10: FIFO 6, LRU 4, CLOCK 5, OPT 4, in both languages"
for lang in en zh; do
	screen_start t 100 30 "'$VMVIZ' --lang $lang play '$ROOT/scenarios/10-lru-clock-fifo.vmm'; exec sleep 60"
	screen_wait_for t 'step 0/|步骤 0/'
	fl=fault ftl=faults
	[ $lang = zh ] && fl=缺页 ftl=累计缺页
	for want in 'FIFO(:|：)[^0-9]*6 ' 'LRU(:|：)[^0-9]*4 ' 'CLOCK(:|：)[^0-9]*5 ' 'OPT(:|：)[^0-9]*4 '; do
		forward_to t "$want"
		check_table t "$fl" "$ftl" "$(echo "$want" | grep -oE '[0-9]+ $' | tr -d ' ')"
	done
	screen_stop t
done

echo "== play --trace: the table, with --frames as its frames and OPT"
screen_start r 100 30 "'$VMVIZ' play --trace '$ROOT/tests/traces/belady.txt' --frames 3 --policy opt; exec sleep 60"
screen_wait_for r 'step 0/'
forward_to r '12 of 12 accesses:'
check_table r fault faults 7
assert_contains r 'opt · 3 frames'
screen_stop r
screen_start r 100 30 "'$VMVIZ' play --trace '$ROOT/tests/traces/belady.txt' --frames 4 --policy fifo; exec sleep 60"
screen_wait_for r 'step 0/'
forward_to r '12 of 12 accesses:'
check_table r fault faults 10
screen_stop r
# a long trace: its string is declared over many lines, the table windows it
screen_start r 100 30 "'$VMVIZ' play --trace '$ROOT/tests/traces/ls-lackey.txt.xz'; exec sleep 60"
screen_wait_for r 'step 0/'
forward_to r '3 of 2000 accesses: 2 faults, 1 hit$'
assert_contains r 'pages 1-11 = VPN'
screen_stop r
screen_start r 100 30 "'$VMVIZ' play --policy opt '$ROOT/scenarios/11-belady-fifo.vmm'; echo \"[exit \$?]\"; exec sleep 60"
screen_wait_for r 'OPT needs the future accesses'
screen_wait_for r '\[exit 2\]'
screen_stop r

screen_summary
