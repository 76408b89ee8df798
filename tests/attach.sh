#!/usr/bin/env bash
# attach.sh - vmviz attach PID --once on a test program paused at a known
# point, compared with its /proc files read directly; bad PIDs get one line
# and a non-zero exit. Usage: attach.sh BUILD_DIR (make attach-test).
set -uo pipefail
BUILD=${1:-build}
VMVIZ=$BUILD/vmviz
TMP=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL attach: $*"; fail=$((fail + 1)); }

mkfifo "$TMP/ready"
"$BUILD/tests/progs/att_pause" >"$TMP/ready" &
pid=$!
exec 3<"$TMP/ready"
read -r word <&3
[ "$word" = ready ] || { no "the test program did not start"; exit 1; }
# Asleep in pause(): its first call there (binding, libc's code paged in)
# is over, so its memory holds still.
for _ in $(seq 100); do
	[ "$(awk '{ print $3 }' "/proc/$pid/stat")" = S ] && break
	sleep 0.02
done

"$VMVIZ" attach "$pid" --once >"$TMP/out" 2>"$TMP/err" && ok || no "attach --once failed: $(cat "$TMP/err")"
# One line per mapping, as many as maps has.
want=$(wc -l <"/proc/$pid/maps")
got=$(grep -Ec '^[0-9a-f]{12,16}-[0-9a-f]{12,16} ' "$TMP/out")
[ "$got" -eq "$want" ] && ok || no "$got mappings printed, maps has $want"
# Totals, and smaps_rollup as the kernel prints it.
roll() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/smaps_rollup"; }
# Pss moves whenever another process maps or unmaps the same libc pages:
# within 16 kB of a fresh read; the rest exactly.
read -r rss pss swap anon verdict <<<"$(sed -n 's/^smaps_rollup: Rss \([0-9]*\) kB, Pss \([0-9]*\) kB, Swap \([0-9]*\) kB, Anonymous \([0-9]*\) kB: \(.*\)$/\1 \2 \3 \4 \5/p' "$TMP/out")"
dpss=$((pss - $(roll Pss)))
[ "$rss" = "$(roll Rss)" ] && [ "$swap" = "$(roll Swap)" ] && [ "$anon" = "$(roll Anonymous)" ] &&
	[ "${dpss#-}" -le 16 ] && [ "$verdict" = "the totals match (Pss within per-mapping rounding)" ] &&
	ok || no "rollup line: $(grep '^smaps_rollup' "$TMP/out") vs $(grep -E '^(Rss|Pss|Swap|Anonymous):' "/proc/$pid/smaps_rollup" | tr -s ' \n' ' ')"
sum=$(awk '/^Rss:/ { s += $2 } END { print s }' "/proc/$pid/smaps")
grep -q "^total: Rss $sum kB," "$TMP/out" && ok || no "total Rss is not smaps' sum $sum"
# The heap: 40000 bytes written, so its pages are present, anonymous and
# exclusive; Rss / 4 pages present, as pagemap says.
heap=$(grep ' \[heap\]$' "$TMP/out")
heap_rss=$(awk '$NF == "[heap]" { print $3 }' "$TMP/out")
read -r present swapped _ exclusive file <<<"$(awk '$NF == "[heap]" { print $7, $8, $9, $10, $11 }' "$TMP/out")"
[ "$heap_rss" -ge 40 ] && [ "$present" -eq $((heap_rss / 4)) ] && [ "$exclusive" -eq "$present" ] &&
	[ "$file" -eq 0 ] && [ "$swapped" -eq 0 ] && ok || no "heap line: $heap"
want_heap=$(awk '/\[heap\]/ { on = 1; next } on && /^Rss:/ { print $2; exit }' "/proc/$pid/smaps")
[ "$heap_rss" -eq "$want_heap" ] && ok || no "heap Rss $heap_rss, smaps says $want_heap"
# The mmapped block (rwx: merged with nothing): 64 pages, 32 written.
grep -Eq '^[0-9a-f]+-[0-9a-f]+ rwxp +128 +128 +0 +128  32 0 [0-9]+ 32 0  $' "$TMP/out" && ok ||
	no "the 256K mapping with 32 pages written is not there: $(grep -E ' rwxp ' "$TMP/out")"
# --pages: one line per present page; PFN shown as root, hidden otherwise.
"$VMVIZ" attach "$pid" --once --pages >"$TMP/pages" 2>&1 && ok || no "--pages failed"
n=$(grep -c '^    [0-9a-f]\{12\} present' "$TMP/pages")
[ "$n" -eq $(($(roll Rss) / 4)) ] && ok || no "--pages lists $n present pages, Rss is $(roll Rss) kB"
if [ "$(id -u)" -eq 0 ]; then
	grep -q ' pfn 0x[0-9a-f]*[1-9a-f][0-9a-f]*$' "$TMP/pages" && ok || no "root sees no PFN"
	if command -v runuser >/dev/null; then
		err=$(runuser -u nobody -- "$VMVIZ" attach 1 --once 2>&1 >/dev/null)
		rc=$?
		[ "$rc" -eq 1 ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q "belongs to another user" <<<"$err" && ok ||
			no "another user's process: exit $rc, said: $err"
	fi
else
	grep -q 'pfn hidden without root$' "$TMP/pages" && ok || no "PFNs are not said to be hidden"
fi

# vmviz snapshot: the same process as a scenario that vmviz replays to the
# same VSZ and RSS ([vdso] aside).
"$VMVIZ" snapshot "$pid" -o "$TMP/snap.vmm" 2>/dev/null && ok || no "snapshot failed"
grep -q '^map clear$' "$TMP/snap.vmm" && grep -q '^expect rss == ' "$TMP/snap.vmm" && ok || no "snapshot: no maps or no expect"
"$VMVIZ" run --check "$TMP/snap.vmm" >"$TMP/snap.out" 2>&1 && ok ||
	no "snapshot does not replay: $(grep -m3 -E '^(error|invariant)' "$TMP/snap.out")"

# The live screen, in tmux at 80x24: the normal screen's panels show the
# process mirrored into the engine; after SIGUSR1 it writes 32 more pages
# of its rwx block, and the next read highlights them (the changed colour,
# 48;5;220m) in the page table; Ctrl-D gives the terminal back with exit 0.
# A process that ends under it: one line, exit 1.
if command -v tmux >/dev/null; then
	ABS=$(cd "$(dirname "$VMVIZ")" && pwd)/$(basename "$VMVIZ")
	S="vmviz-attach-test-$$"
	T=live
	tm() { TMUX='' tmux -L "$S" -f /dev/null "$@"; }
	trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
	wait_for() { # PATTERN: an extended regex on the screen, 5 s at most
		for _ in $(seq 50); do
			tm capture-pane -t "$T" -p | grep -Eq "$1" && return 0
			sleep 0.1
		done
		return 1
	}
	live() {
		tm kill-session -t "$T" 2>/dev/null
		tm new-session -d -s "$T" -x 80 -y 24 \
			"env TERM=xterm-256color LANG=C.UTF-8 $ABS attach $pid --interval 0.2 2>&1; echo EXIT=\$?; sleep 20"
		wait_for 'read-only #([3-9]|[0-9]{2,})( |$)' && ok || no "live screen: no third read: $(tm capture-pane -t "$T" -p | head -3)"
	}
	live
	screen=$(tm capture-pane -t "$T" -p)
	grep -q "^ ▶$pid att_pause  VSZ" <<<"$screen" && ok || no "status bar: not the process: $(head -1 <<<"$screen")"
	grep -Eq "pid $pid att_pause" <<<"$screen" && grep -q 'Page table' <<<"$screen" &&
		grep -q 'Physical frames' <<<"$screen" && grep -q 'What happened' <<<"$screen" && ok ||
		no "live screen: not the normal panels"
	# the rwx block: 256K, 128K of it resident, as smaps says
	grep -Eq '^.[0-9a-f]{12} mmap +rwx +256K +128K' <<<"$screen" && ok ||
		no "address space panel: no rwx 256K block with 128K resident"
	grep -q "attached to pid $pid (att_pause), read-only" <<<"$screen" && ok || no "log: no attach line"
	# a command that would change it is refused with one line
	tm send-keys -t "$T" 'p = malloc(10)' Enter
	wait_for '^ attached to a real process: read-only' && ok || no "malloc on an attached process was not refused"
	kill -USR1 "$pid"
	read -r -t 5 word <&3
	[ "$word" = more ] || no "the test program did not write more"
	wait_for 'read #[0-9]+: 32 pages changed, RSS \+128 KiB' && ok ||
		no "no read saw the 32 new pages: $(tm capture-pane -t "$T" -p | tail -5)"
	wait_for '^.[0-9a-f]{12} mmap +rwx +256K +256K' && ok || no "the rwx block is not all resident now"
	screen=$(tm capture-pane -t "$T" -p)
	start=$(grep -oE '^.[0-9a-f]{12} mmap +rwx' <<<"$screen" | grep -oE '[0-9a-f]{12}')
	colour=$(tm capture-pane -t "$T" -p -e)
	lit=$(grep -oE '48;5;220m[0-9a-f]{9} ' <<<"$colour" | grep -oE '[0-9a-f]{9}')
	inside=0 outside=0
	for vpn in $lit; do
		off=$(((16#$vpn << 12) - 16#$start))
		if [ "$off" -ge $((128 << 10)) ] && [ "$off" -lt $((256 << 10)) ]; then
			inside=$((inside + 1))
		else
			outside=$((outside + 1))
		fi
	done
	[ "$inside" -ge 3 ] && [ "$outside" -eq 0 ] && ok ||
		no "page table: $inside highlighted rows in the new half of the rwx block, $outside elsewhere"
	tm send-keys -t "$T" C-d
	wait_for '^EXIT=0$' && ok || no "live screen: Ctrl-D did not end it with 0"
	tm kill-session -t "$T" 2>/dev/null
else
	echo "attach: no tmux: the live screen not tested"
fi

# Bad input: one line, non-zero exit.
bad() { # WANT_RC PATTERN ARGS...
	local want=$1 pattern=$2 err rc
	shift 2
	err=$("$VMVIZ" attach "$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq "$want" ] && [ "$(wc -l <<<"$err")" -eq 1 ] && grep -q "$pattern" <<<"$err" && ok ||
		no "attach $*: exit $rc, said: $err"
}
bad 1 "no process 999999999" 999999999 --once
bad 1 "is a kernel thread" 2 --once
bad 2 "bad PID 'abc'" abc --once
bad 2 "which process" --once
bad 2 "needs a terminal" "$pid"
bad 2 "bad --interval '0.01'" "$pid" --interval 0.01
if command -v tmux >/dev/null; then
	live
	kill "$pid"
	wait "$pid" 2>/dev/null
	wait_for '^EXIT=1$'
	screen=$(tm capture-pane -t "$T" -p)
	grep -Eq "^vmviz: attach: (no process $pid|process $pid has exited)" <<<"$screen" &&
		[ "$(grep -c '^vmviz:' <<<"$screen")" -eq 1 ] && grep -q '^EXIT=1$' <<<"$screen" && ok ||
		no "live screen on a process that ended: $(grep -E 'EXIT|vmviz:' <<<"$screen")"
	tm kill-session -t "$T" 2>/dev/null
else
	kill "$pid"
	wait "$pid" 2>/dev/null
fi
bad 1 "no process $pid" "$pid" --once
err=$("$VMVIZ" snapshot "$pid" -o "$TMP/gone.vmm" 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 1 ] && [ "$err" = "vmviz: snapshot: no process $pid" ] && [ ! -e "$TMP/gone.vmm" ] && ok ||
	no "snapshot of a process gone: exit $rc, said: $err"
pid=

echo "attach: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
