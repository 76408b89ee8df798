#!/bin/sh
# malloc_build.sh - builds the probes: malloc_probe (x86-64) and malloc_probe32
# (i386, linked by hand against /usr/lib32's libc: no 32-bit dev files here).
set -e
cd "$(dirname "$0")"
gcc -O1 -fno-builtin -w -o malloc_probe malloc_probe.c
gcc -m32 -O1 -fno-builtin -w -no-pie -ffreestanding -nostdlib -o malloc_probe32 malloc_start32.S malloc_probe.c \
	/usr/lib32/libc.so.6 -Wl,-dynamic-linker,/usr/lib32/ld-linux.so.2 -Wl,-z,noexecstack
