#!/bin/bash
# fuzz_seeds.sh - writes the starting corpus of one fuzz target (make fuzz):
# the scenarios for the command language, every trace (plain, gzip and xz
# made here) for the reader, and the golden command lines for the CLI.
# usage: fuzz_seeds.sh commands|trace|cli|keys DIR
set -euo pipefail
target=$1 dir=$2
mkdir -p "$dir"
case $target in
commands)
	# byte 0 picks the machine
	for f in scenarios/*.vmm tests/golden/*.vmm; do
		printf '\001' | cat - "$f" >"$dir/seed-$(basename "$f")"
	done
	;;
trace)
	# byte 0: page size 4096, skip bad lines, 3 messages (0x18); 0x04 refuses
	for f in tests/traces/*; do
		b=$(basename "$f")
		case $f in
		*.gz) zcat "$f" >"$dir/plain-$b" ;;
		*.xz) xzcat "$f" >"$dir/plain-$b" ;;
		*) cp "$f" "$dir/plain-$b" ;;
		esac
		p="$dir/plain-$b"
		{ printf '\030'; cat "$p"; } >"$dir/seed-$b"
		{ printf '\004'; cat "$p"; } >"$dir/seed-refuse-$b"
		# only small files compressed: a fuzz input stays under -max_len
		if [ "$(wc -c <"$p")" -lt 3000 ]; then
			{ printf '\030'; gzip -9c "$p"; } >"$dir/seed-$b.gz"
			{ printf '\030'; xz -9c "$p"; } >"$dir/seed-$b.xz"
			# two gzip members back to back
			{ printf '\030'; gzip -c "$p"; gzip -c "$p"; } >"$dir/seed-$b.2.gz"
		fi
		rm -f "$p"
	done
	{ printf '\030'; head -c 3000 tests/traces/ls-lackey.txt; } >"$dir/seed-lackey-head"
	{ printf '\030'; head -c 3000 tests/traces/ls-lackey.txt | xz -c; } >"$dir/seed-lackey-head.xz"
	;;
cli)
	# argv words one per line; after a 0xff byte, the scenario "@" names
	n=0
	seed() { # ARGS... ; the scenario text comes on stdin
		n=$((n + 1))
		{ printf '%s\n' "$@" | head -c -1; printf '\377'; cat; } >"$dir/seed-$n"
	}
	seed run - --frames 12 </dev/null
	seed run - --frames=x </dev/null
	seed run @ --check </dev/null
	seed --lang zh play @ --theme mono --ascii </dev/null
	seed --policy lru --arch x86 --tlb 8 --page-size 16K run - </dev/null
	seed play --trace x.txt </dev/null
	seed trace @ --frames 1..8 --policy all --plot <tests/traces/belady.txt
	seed trace @ --frames 3,4 --policy opt --bad-lines refuse <tests/traces/bad-lines.txt
	seed run @ < <(printf '# title: x\n# options: --frames 16 --swap 8 --policy fifo\nmalloc 1\n')
	seed run @ --frames 64 < <(printf '# options: --arch=x86 --tlb=4\n')
	seed run @ < <(printf '# options: --help\n')
	seed -h </dev/null
	seed --version </dev/null
	seed play --list </dev/null
	seed run 09 --check </dev/null
	seed run - --record x.cast </dev/null
	;;
keys)
	# byte 0: bit 0 plays tests/screen_play.vmm; then what a terminal sends
	# (fe: a pause, fd R C: a resize)
	n=0
	seed() { n=$((n + 1)); printf "$@" >"$dir/seed-$n"; }
	seed '\000p = malloc(8192)\rtouch p\r\033[A\033[A\r\022mal\033[D\r'
	seed '\000help\r\033[6~\033[5~\t\033[Z?\376\033\376q'
	seed '\000abc\033\n\0339\0339~k\033\005\001\013echo x\r'
	seed '\000ma\t\t\030\025\0339\0339\030(xyz\030)\030e\r'
	seed '\001  :echo hi\r\033 :ps\r.g3\r\375\010\020  q'
	seed '\001:\022e\030\033\376\r:fork\r\033[200~echo pasted\033[201~\r'
	;;
*)
	echo "fuzz_seeds.sh: unknown target '$target' (commands, trace, cli or keys)" >&2
	exit 2
	;;
esac
