#!/bin/bash
# shrink.sh - cuts a sequence that vmviz gets wrong down to a minimal one
# that still goes wrong the same way (the same likely cause at its first
# difference), by dropping one step at a time and measuring again for real.
# Usage: shrink.sh [--vmviz PATH] [--probe PATH] FILE.vmm
# FILE.vmm: plain or annotated. Prints the minimal sequence, annotated.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build}
vmviz=$build/vmviz probe=$build/tests/diff_probe
while [ $# -gt 1 ]; do
	case $1 in
	--vmviz) vmviz=$2; shift 2 ;;
	--probe) probe=$2; shift 2 ;;
	*) echo "shrink.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ $# = 1 ] || { echo "usage: shrink.sh [--vmviz PATH] [--probe PATH] FILE.vmm" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ulimit -s 8192

# Maps after every step if the file has them (diff_probe -m).
every=
grep -q '^# maps ' "$1" && every=-m

# The steps alone: what the probe itself would run.
grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' -e '^expect ' -e '^maps$' \
	-e '^vsz0 = vsz$' -e '^rss0 = rss$' -e '^min0 = minflt$' "$1" >"$tmp/steps"

# The likely cause of the first difference of a plain script, or "-".
cause() {
	setarch -R "$probe" $every "$1" >"$tmp/seq.vmm" 2>/dev/null || { echo invalid; return; }
	bash "$here/compare.sh" --vmviz "$vmviz" --results "$tmp/r" "$tmp/seq.vmm" >/dev/null
	awk '$1 == "R" { print $5 }' "$tmp/r"
}

[ -s "$tmp/steps" ] || { echo "shrink.sh: no steps in $1" >&2; exit 2; }
want=$(cause "$tmp/steps")
[ "$want" = - ] && { echo "shrink.sh: vmviz agrees with the real process on $1: nothing to shrink"; exit 0; }
[ "$want" = invalid ] && { echo "shrink.sh: the probe cannot run $1" >&2; exit 2; }
echo "# shrinking $(wc -l <"$tmp/steps") steps, first difference: $want" >&2
changed=1
while [ $changed = 1 ]; do
	changed=0
	n=$(wc -l <"$tmp/steps")
	for ((i = n; i >= 1; i--)); do
		sed "${i}d" "$tmp/steps" >"$tmp/cand"
		[ -s "$tmp/cand" ] || continue
		if [ "$(cause "$tmp/cand")" = "$want" ]; then
			mv "$tmp/cand" "$tmp/steps"
			changed=1
		fi
	done
done
echo "# $(wc -l <"$tmp/steps") steps left, first difference still: $want" >&2
setarch -R "$probe" $every "$tmp/steps" >"$tmp/min.vmm"
cat "$tmp/min.vmm"
bash "$here/compare.sh" --vmviz "$vmviz" -v "$tmp/min.vmm" | grep -v ' maps ' | sed -n '/^min /s/^min/#/p' >&2
