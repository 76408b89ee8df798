#!/bin/sh
# stack_record.sh - re-records tests/probes/stack_frames.txt: recursive calls
# with big local arrays, written whole or only at a[0], up to and past the
# 8 MiB stack limit. Usage: sh tests/probes/stack_record.sh
# LD_BIND_NOW=1: the first memset would otherwise go through the lazy PLT
# resolver, whose register save area lies below the array (one more page).
cd "$(dirname "$0")" || exit 1
gcc -O0 -o /tmp/vmviz_stack_frames stack_frames.c || exit 1
for a in "1 65536 full" "4 65536 full" "1 1048576 full" "1 1048576 one" "7 1048576 one" "8 1048576 one"; do
	echo "# run: $a"
	LD_BIND_NOW=1 setarch -R /tmp/vmviz_stack_frames $a
	echo "exit $?"
done > stack_frames.txt 2>&1
# The same for a 32-bit process (apt-get install gcc-multilib).
if gcc -m32 -O0 -o /tmp/vmviz_stack_frames32 stack_frames.c 2>/dev/null; then
	for a in "4 65536 full" "1 1048576 one" "7 1048576 one" "8 1048576 one"; do
		echo "# run: $a"
		LD_BIND_NOW=1 setarch -R /tmp/vmviz_stack_frames32 $a
		echo "exit $?"
	done > stack_frames_x86.txt 2>&1
fi
