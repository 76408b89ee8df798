#!/bin/sh
# malloc_record.sh - runs every case of malloc_cases.txt in a real process (ASLR
# off) and records what it printed, with glibc's message and the exit
# status when it died: malloc_64.out and malloc_32.out, read by
# tests/test_malloc.c. Run on Debian 12 (glibc 2.36) after malloc_build.sh.
set -u
cd "$(dirname "$0")"
for arch in 64 32; do
	bin=./malloc_probe; [ $arch = 32 ] && bin=./malloc_probe32
	out=malloc_$arch.out
	: > $out
	grep -v '^#' malloc_cases.txt | while read -r name arches steps; do
		[ -z "$name" ] && continue
		case $arches in both|$arch) ;; *) continue ;; esac
		echo "case $name" >> $out
		# shellcheck disable=SC2086
		setarch -R $bin $steps > .case.out 2> .case.err
		rc=$?
		cat .case.out >> $out
		[ -s .case.err ] && sed 's/^/stderr /' .case.err >> $out
		echo "exit $rc" >> $out
	done
	rm -f .case.out .case.err
done
