#!/bin/bash
# compare.sh - runs vmviz on annotated sequences (real process facts as
# expect lines) and reports, per sequence, the first step where vmviz differs
# from the real process, then the agreement per quantity over all of them.
# Usage: compare.sh --vmviz PATH [-v] [--label TEXT] [--results FILE] FILE.vmm...
# --results keeps the raw lines (R: one per sequence, D: its first
# difference, C: a step that changed VSZ/RSS/minflt differently).
# vmviz runs with --check: a broken engine invariant is reported too.
# Exit 0 when every sequence agrees at every step, 1 otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
vmviz=build/vmviz verbose=0 label=sequences results=
while [ $# -gt 0 ]; do
	case $1 in
	--vmviz) vmviz=$2; shift 2 ;;
	--label) label=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	*) break ;;
	esac
done
[ -x "$vmviz" ] || { echo "compare.sh: no vmviz at $vmviz (build it, or give --vmviz PATH)" >&2; exit 2; }
[ $# -gt 0 ] || { echo "compare.sh: no sequences given" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
opts="--swap 64 --check --lang en"
# vmviz's own baseline, from the failure messages of impossible expects.
base=$(printf 'expect vsz == 99999999999\nexpect rss == 99999999999\nexpect minflt == 99999999999\n' |
	"$vmviz" run --frames 16384 $opts - 2>&1 >/dev/null | sed -n 's/.* is //p' | tr '\n' ' ')
read -r bvsz brss bmin <<<"$base"
[ -n "$bmin" ] || { echo "compare.sh: $vmviz does not answer like vmviz ('expect vsz == 1' should fail saying what vsz is)" >&2; exit 2; }
# A vmviz older than "names inside values" (vsz0 = vsz) runs the scripts
# rewritten line for line: the baseline as numbers, the checks absolute.
compat=0
printf 'v0 = vsz\n' | "$vmviz" run --frames 16384 $opts - >/dev/null 2>&1 || compat=1
for f in "$@"; do
	name=$(basename "$f" .vmm)
	run=$f
	if [ $compat = 1 ]; then
		run=$tmp/compat.vmm
		sed -e "s/^vsz0 = vsz\$/vsz0 = $bvsz/; s/^rss0 = rss\$/rss0 = $brss/; s/^min0 = minflt\$/min0 = $bmin/" \
		    -e 's/^expect vsz - vsz0 == \(.*\)/expect vsz == vsz0 + (\1)/' \
		    -e 's/^expect rss - rss0 == \(.*\)/expect rss == rss0 + (\1)/' \
		    -e 's/^expect minflt - min0 == \(.*\)/expect minflt == min0 + (\1)/' "$f" >"$run"
	fi
	# Frames for twice the most the real process ever had resident: no
	# eviction, and --check (which walks every frame) stays quick.
	frames=$(awk '/^expect rss - rss0 == / { v = $NF; sub(/K$/, "", v); if (v + 0 > m) m = v + 0 }
		END { f = int(m / 4) * 2 + 8192; print f < 16384 ? 16384 : f }' "$f")
	# (a subshell: a crash is reported by compare.awk, not by bash)
	( "$vmviz" run --frames "$frames" $opts "$run" >"$tmp/out" 2>"$tmp/err"; exit $? ) 2>/dev/null
	rc=$?
	awk -v name="$name" -v rc=$rc -v compat=$compat -v bvsz="$bvsz" -v brss="$brss" -v bmin="$bmin" \
	    -f "$here/compare.awk" "$f" "$tmp/err" "$tmp/out"
done >"$tmp/results"
[ $compat = 1 ] && echo "(this vmviz has no names inside values: scripts run rewritten with its baseline, vsz $bvsz rss $brss minflt $bmin)"
[ -n "$results" ] && cp "$tmp/results" "$results"
[ "$verbose" = 1 ] && grep '^D ' "$tmp/results" | cut -c3-
awk -v label="$label" '
$1 == "C" {
	chg[$3]++
	if (!(($3) in cex)) { c = $0; sub(/^C [^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", c); cex[$3] = $2 " step " $4 ": real " $5 ", vmviz " $6 " (" c ")" }
	next
}
$1 == "D" && / vmviz invariant broken: / { broken++; if (!brokex) brokex = $0; next }
$1 == "R" {
	seqs++; steps += $3
	if ($5 == "-") clean++
	else { cat[$5]++; if (!(($5) in example)) example[$5] = $2 " step " $4 }
	if ($6 == 1) maps++
	for (i = 7; i <= NF; i++) {
		split($i, a, /[:\/]/)
		ok[a[1]] += a[2]; n[a[1]] += a[3]
		if (a[3] > 0) { nseq[a[1]]++; if (a[2] == a[3]) seqok[a[1]]++ }
	}
}
END {
	if (!seqs) { print "no sequences compared"; exit 1 }
	printf "%s: %d sequences, %d steps; %d agree with the real process at every step (%.1f%%)\n", \
	       label, seqs, steps, clean, 100 * clean / seqs
	printf "  %-8s %-26s %s\n", "quantity", "steps agreeing", "sequences agreeing throughout"
	split("addr vsz rss minflt byte maps dvsz drss dminflt", Q, " ")
	for (j = 1; j <= 9; j++) {
		q = Q[j]
		if (!n[q]) continue
		if (q == "dvsz") print "  how each step changed it (a difference counts once, not at every later step):"
		printf "  %-8s %6d/%-6d %6.1f%%      %4d/%d %6.1f%%\n", q, ok[q], n[q], 100 * ok[q] / n[q], \
		       seqok[q], nseq[q], 100 * seqok[q] / nseq[q]
	}
	printf "  %-8s %27s %4d/%d %6.1f%%  (what the whole sequence changed in /proc/PID/maps)\n", "maps end", "", \
	       maps, seqs, 100 * maps / seqs
	if (broken) printf "  vmviz --check: invariants broken in %d sequences, e.g. %s\n", broken, substr(brokex, 3)
	if (clean < seqs) {
		print "  first difference, by likely cause (count, an example):"
		for (c in cat) printf "    %-34s %4d  %s\n", c, cat[c], example[c]
	}
	if (length(chg)) {
		print "  steps that changed VSZ/RSS/minflt differently, by quantity@operation (count, an example):"
		for (c in chg) printf "    %-16s %5d  %s\n", c, chg[c], cex[c]
	}
	exit clean == seqs ? 0 : 1
}' "$tmp/results"
