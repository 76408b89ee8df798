#!/usr/bin/env bash
# screen_compare.sh VMVIZ - the compare view in tmux at 80x24 and 120x40:
# after a fork both page tables (and at 40 rows the address spaces) side by
# side with the shared frame marked "=", after the child's copy-on-write write the copied page marked "≠"
# with a walk per side (the writer's lit), compare off, and a scenario that
# uses it showing the same screen reached forward and going back.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/screenlib.sh"
screen_sandbox "$0" "${1:-}"

vmviz() {
	local name=$1 cols=$2 rows=$3
	shift 3
	screen_start "$name" "$cols" "$rows" "env $ENVS '$VMVIZ' $*; echo \"[vmviz exited \$?]\"; exec sleep 60"
}

# The screen rows that match a regex (for checks on one row).
rows_matching() {
	screen_capture "$1" | grep -E -- "$2"
}

for size in "80 24" "120 40"; do
	set -- $size
	n=c$1
	echo "== compare at $1x$2: shared after fork, copied after a write"
	vmviz "$n" "$1" "$2" --frames 32
	screen_wait_for "$n" 'vmviz>'
	screen_type "$n" 'p = malloc(64)'
	screen_type "$n" 'p[0] = 1'
	screen_type "$n" 'c = fork()'
	screen_wait_for "$n" 'compare 100 101 shows both side by side'
	screen_type "$n" 'compare'
	screen_wait_for "$n" 'Side by side'
	assert_not_contains "$n" 'Page table' "the compare view takes the page table's place"
	assert_not_contains "$n" 'kernel space' "the compare view takes the address space's place"
	if [ "$2" -ge 40 ]; then
		# room under the rows: both address spaces, region by region
		check "$1x$2: both address spaces side by side, the heap with its resident page" \
			bash -c "grep -Eq '─ Address space · pid 100 .*─ Address space · pid 101 ' <<<\"\$1\" &&
				grep -Eq '^ heap +132K +4K +heap +132K +4K' <<<\"\$1\"" _ "$(screen_capture "$n")"
	fi
	assert_contains "$n" 'pid 100 a.out'
	assert_contains "$n" 'pid 101 a.out'
	# the heap page: one frame, mapped by both, marked by a character
	check "$1x$2: the heap row shows frame 7 on both sides linked by '='" \
		bash -c "grep -Eq '^ +555555559 .*pfn 7 += +pfn 7 ' <<<\"\$1\"" _ "$(screen_capture "$n")"
	assert_contains "$n" '= 5 same frame'
	assert_contains "$n" 'no MMU walk yet'
	# and in the frames grid: the frames both map are labelled "=VPN"
	check "$1x$2: the frames grid marks the shared frames with '='" \
		bash -c "[ \$(grep -Eo '=[0-9a-f]+' <<<\"\$1\" | wc -l) -ge 5 ]" _ "$(screen_capture "$n")"
	screen_type "$n" 'proc c'
	screen_type "$n" 'p[0] = 2'
	screen_wait_for "$n" 'copy-on-write: frame 7 copied to frame 8'
	check "$1x$2: after the child's write the heap row shows frames 7 and 8 linked by '≠'" \
		bash -c "grep -Eq '^ *. ?555555559 .*pfn 7 +≠ +pfn 8 ' <<<\"\$1\"" _ "$(screen_capture "$n")"
	check "$1x$2: the other pages are still one frame each ('=')" \
		bash -c "grep -Eq '^ +555555555 .*pfn 2 += +pfn 2 ' <<<\"\$1\"" _ "$(screen_capture "$n")"
	assert_contains "$n" '= 4 same frame'
	# a walk per side: the parent's kept, the child's (just made) lit
	check "$1x$2: both walks side by side, the child's lit with the hand" \
		bash -c "grep -Eq 'MMU walk 0x5555555592a0 hit .* ▶ MMU walk 0x5555555592a0 minor fault' <<<\"\$1\"" _ \
		"$(screen_capture "$n")"
	assert_contains "$n" '→ pfn 7 + 0x2a0 = phys 0x72a0'
	assert_contains "$n" '→ pfn 8 + 0x2a0 = phys 0x82a0'
	# a walk in the parent lights the parent's side; the child's stays
	screen_type "$n" 'proc 100'
	screen_type "$n" 'x = p[1]'
	screen_wait_for "$n" '▶ MMU walk 0x5555555592a1 hit'
	check "$1x$2: a read in the parent lights its side; the child's walk stays, unlit" \
		bash -c "grep -Eq '▶ MMU walk 0x5555555592a1 hit .*─ MMU walk 0x5555555592a0 minor' <<<\"\$1\"" _ \
		"$(screen_capture "$n")"
	screen_type "$n" 'compare off'
	screen_wait_for "$n" 'Page table'
	assert_contains "$n" '─ Address space ─'
	check "$1x$2: no '=' frame labels with the compare view off" \
		bash -c "! grep -Eq '=[0-9a-f]{2,}' <<<\"\$1\"" _ "$(screen_capture "$n")"
	assert_not_contains "$n" 'Side by side'
	screen_stop "$n"
done

echo "== compare errors leave the screen as it was"
vmviz e 100 30 --frames 32
screen_wait_for e 'vmviz>'
screen_type e 'compare'
screen_wait_for e 'compare: no parent and child of a fork or spawn alive'
screen_type e 'compare 100 100'
screen_wait_for e 'give two different processes'
assert_contains e 'Address space'
screen_stop e

echo "== scenario 12 in playback: the compare step looks the same forward and back"
vmviz p 80 24 play "'$ROOT/scenarios/12-fork-cow.vmm'"
screen_wait_for p 'step 0/'
screen_send p g 1 5 Enter
screen_wait_for p 'step 15/'
sleep 0.3
forward=$(screen_capture p)
screen_send p Space
screen_wait_for p 'step 16/'
screen_send p Space
screen_wait_for p 'step 17/'
screen_send p Left
screen_wait_for p 'step 16/'
screen_send p Left
screen_wait_for p 'step 15/'
sleep 0.3
back=$(screen_capture p)
check "step 15 of scenario 12 is the same screen reached forward and going back" test "$forward" = "$back"
check "step 15 shows the copied page '≠' beside the shared ones" \
	bash -c "grep -Eq 'pfn 7 +≠ +pfn 8' <<<\"\$1\" && grep -Eq 'pfn 2 += +pfn 2' <<<\"\$1\"" _ "$back"
screen_stop p

screen_summary
