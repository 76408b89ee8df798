#!/bin/sh
# mmap_record.sh - re-records the probe runs that tests/test_vma.c replays in
# vmviz: builds mmap_steps.c (64-bit, and 32-bit if gcc -m32 works) and runs
# each step list under setarch -R. Usage: sh tests/probes/mmap_record.sh
set -e
cd "$(dirname "$0")"
gcc -O0 -o /tmp/vmviz_mmap_steps mmap_steps.c
run() { # NAME STEPS...
	name=$1; shift
	{ echo "# args: $*"; setarch -R /tmp/vmviz_mmap_steps "$@"; } > "mmap_$name.txt"
}
setarch -R /tmp/vmviz_mmap_steps > layout_x86_64.txt
run place    m:64K m:64K m:4K m:8K m:32K m:4K
run thp      m:2M m:4M m:2052K m:1M m:4K m:2M
run shared   m:2M:rw:s m:4M:r m:64K:r m:64K
run anonvma  m:64K w:0:0:4K m:64K w:1:0:4K
run mprotect m:64K w:0:0:4K p:0:16K:16K:r M p:0:16K:16K:rw
run between  m:64K m:64K:r m:64K
run reprotect m:64K w:0:0:64K p:0:0:64K:r p:0:0:64K:rw w:0:0:64K m:64K:rw:s w:1:0:16K p:1:0:16K:r p:1:0:16K:rw w:1:0:16K
run mremap_move   m:64K m:64K w:0:0:64K r:0:64K:128K
run mremap_grow   m:64K m:64K u:0:0:64K r:1:64K:128K r:1:128K:8K
run mremap_fixed  m:64K r:0:64K:128K:f m:1M r:1:1M:2M
run munmap   m:256K w:0:0:256K u:0:64K:64K m:32K u:0:0:256K
# 32-bit (apt-get install gcc-multilib): no THP alignment for them.
if gcc -m32 -O0 -o /tmp/vmviz_mmap_steps32 mmap_steps.c 2>/dev/null; then
	setarch -R /tmp/vmviz_mmap_steps32 > layout_x86.txt
	run32() {
		name=$1; shift
		{ echo "# args: $*"; setarch -R /tmp/vmviz_mmap_steps32 "$@"; } > "mmap_${name}_x86.txt"
	}
	run32 place  m:64K m:64K m:4K m:8K m:32K m:4K
	run32 thp    m:2M m:4M m:2052K m:1M m:4K m:2M
	run32 mremap m:64K m:64K w:0:0:64K r:0:64K:128K p:1:0:4K:r
fi
