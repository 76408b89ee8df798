#!/usr/bin/env bash
# soak.sh - random scripts with a byte-exact shadow (tests/soak_gen.c) run
# through `vmviz run --check`: every expect must hold, every invariant too.
#
#   bash tests/soak.sh VMVIZ SOAK_GEN OPS "SEED ARCH POLICY"...
#
# Prints one line per soak (time, lines, evictions, swap traffic) and exits
# 1 if any failed, keeping the script and the errors in $TMPDIR.
set -u
vmviz=$1 gen=$2 ops=$3
shift 3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmviz-soak-XXXXXX")
fail=0
for run in "$@"; do
	read -r seed arch policy <<<"$run"
	name="seed $seed, $arch, $policy, $ops ops"
	script="$tmp/soak-$seed-$arch-$policy.vmm"
	"$gen" --seed "$seed" --ops "$ops" --arch "$arch" --policy "$policy" >"$script" 2>/dev/null || {
		echo "FAIL soak $name: the generator failed"
		fail=1
		continue
	}
	start=$(date +%s.%N)
	"$vmviz" run --check "$script" >"$script.out" 2>"$script.err"
	status=$?
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
	# the last command is `stats`: show what the machine went through
	stats=$(tail -n 20 "$script.out" | grep -E '^(minor faults|evictions)' | tr -s ' ' | paste -sd';' -)
	oks=$(grep -c '^ok: ' "$script.out")
	if [ $status -eq 0 ] && [ ! -s "$script.err" ]; then
		printf 'ok   soak %s: %.1f s, %s lines, %s expects held; %s\n' "$name" "$secs" \
			"$(grep -vc '^#' "$script")" "$oks" "$stats"
		rm -f "$script" "$script.out" "$script.err"
	else
		echo "FAIL soak $name (exit $status), script and output kept in $tmp:"
		head -n 5 "$script.err"
		fail=1
	fi
done
[ $fail -eq 0 ] && rmdir "$tmp" 2>/dev/null
exit $fail
