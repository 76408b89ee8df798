/* help_text.c - what `help CMD` adds to the usage line: an example to type
 * and what the command teaches, in English and Chinese. */
#include "help_text.h"

#include <string.h>

static const struct help_text texts[] = {
	{"malloc", "p = malloc(200K)",
	 "where glibc finds memory: a freed chunk, the top of the heap (brk), or a mapping of its own past the mmap "
	 "threshold; VSZ grows, RSS only when pages are written",
	 "glibc 从哪里找内存：释放过的块、堆顶（brk），或超过 mmap 阈值时单独映射；VSZ 变大，写了页 RSS 才变大"},
	{"calloc", "p = calloc(4, 1K)", "zeroed memory: glibc clears only what the kernel did not just zero",
	 "清零的内存：glibc 只清内核没有刚清过的部分"},
	{"realloc", "p = realloc(p, 8K)", "growing in place when the next chunk or top is free, else malloc + copy + free",
	 "后面的块或 top 空着就原地扩大，否则 malloc + 复制 + free"},
	{"memalign", "p = memalign(4096, 100)", "aligned blocks are cut from bigger chunks; the rest goes back to the bins",
	 "对齐的块是从更大的块里切出来的，剩下的还给 bin"},
	{"aligned_alloc", "p = aligned_alloc(64, 100)", "the same allocator path as memalign", "和 memalign 走同一条路径"},
	{"free", "free(p)", "freed memory stays mapped and resident (tcache, bins, top); only an mmapped chunk goes back at once",
	 "释放的内存仍然映射、仍然驻留（tcache、bin、top）；只有 mmap 来的块会立刻还给内核"},
	{"write", "p[0] = 1", "a store goes through the MMU: the first write to a page faults it in", "写内存要经过 MMU：第一次写一页会缺页"},
	{"read", "x = p[4096]", "a read of never-written memory maps the shared zero page: no frame spent",
	 "读从没写过的内存会映射共享零页：不占物理页"},
	{"touch", "touch p", "demand paging: one minor fault per page, RSS grows page by page", "按需调页：每页一次次缺页，RSS 一页一页变大"},
	{"mmap", "m = mmap(64K, rw)", "a mapping is only a promise: VSZ grows now, frames come at the first touch",
	 "映射只是一个承诺：VSZ 马上变大，物理页在第一次访问时才来"},
	{"munmap", "munmap(m)", "unmapping frees the frames and the page-table entries at once", "解除映射立刻释放物理页和页表项"},
	{"map", "map 7ffff7ff0000-7ffff7ff4000 rw-p", "rebuilds a real process's maps line by line", "按 maps 的行逐条重建真实进程"},
	{"mprotect", "mprotect(m, 4K, r)", "permissions live in VMAs and PTEs: a VMA splits, a write becomes SIGSEGV",
	 "权限记在 VMA 和页表项里：VMA 会拆分，写只读页会段错误"},
	{"mremap", "q = mremap(m, 64K, 128K)", "moving a mapping moves page-table entries, not bytes", "移动映射搬的是页表项，不是数据"},
	{"call", "call 64K", "the stack grows down one fault at a time, up to its 8 MiB limit", "栈一次缺页一页地向下增长，最多 8 MiB"},
	{"return", "return", "returning does not give stack pages back", "函数返回不会归还栈页"},
	{"brk", "brk +64K", "the heap is one VMA whose end the program break moves", "堆是一个 VMA，program break 移动它的末尾"},
	{"fork", "fork", "copy-on-write: parent and child share every frame until one of them writes",
	 "写时复制：父子进程共享所有物理页，直到其中一个去写"},
	{"spawn", "spawn ls", "two processes, the same addresses, different frames; shared libraries share frames",
	 "两个进程，同样的地址，不同的物理页；共享库共用物理页"},
	{"ps", "ps", "VSZ is what is mapped, RSS what is resident", "VSZ 是映射了多少，RSS 是驻留了多少"},
	{"proc", "proc 101", "each process has its own page table", "每个进程有自己的页表"},
	{"exit", "exit", "a process's frames and swap slots are freed when it ends", "进程结束时它的物理页和 swap 槽都被释放"},
	{"kill", "kill 101", "killing frees memory; shared frames stay for the others", "杀死进程释放内存；共享的物理页留给其他进程"},
	{"translate", "translate p", "the MMU walk: one table per level, the index from the address bits",
	 "MMU 查页表：每级一张表，索引取自地址的各段位"},
	{"maps", "maps", "the address space as the kernel prints /proc/PID/maps", "内核 /proc/PID/maps 格式的地址空间"},
	{"pt", "pt", "which virtual page maps to which frame, or to which swap slot", "哪个虚拟页映射到哪个物理页或 swap 槽"},
	{"frames", "frames", "physical memory is a pool of frames shared by everyone", "物理内存是大家共用的一池物理页"},
	{"swap", "swap", "swapped pages keep their bytes on disk until read back", "换出的页把内容留在磁盘上，直到被读回"},
	{"stats", "stats", "where the time went: RAM is ~100 ns, a disk read ~100 us (SSD) to ~8 ms (HDD)",
	 "时间花在哪里：内存约 100 ns，读磁盘约 100 µs（SSD）到 8 ms（HDD）"},
	{"set", "set disk hdd", "the same program on a different machine: policy, frames, swap, TLB, disk",
	 "同一个程序换一台机器：置换策略、物理页、swap、TLB、磁盘"},
	{"reset", "reset", "a fresh machine with one process", "一台新机器，一个进程"},
	{"help", "help malloc", "every command with an example and what it shows", "每个命令都有例子和它演示的内容"},
	{"explain", "explain", "the rule and the numbers behind each event of the last command",
	 "上一条命令每个事件背后的规则和数字"},
	{"say", "say \"Watch the RSS\" zh \"注意 RSS\"", "captions for the audience, in two languages", "给观众的字幕，两种语言"},
	{"pause", "pause", "a scenario waits here for the lecturer", "场景在这里等讲解者"},
	{"expect", "expect rss == 8K", "a fact checked against the engine, so a lecture cannot drift from the truth",
	 "对照引擎检查事实，讲解不会偏离真实情况"},
	{"echo", "echo hello", "prints text into the transcript", "在记录里打印文字"},
	{"screenshot", "screenshot malloc-demo", "saves the screen as SVG and text", "把屏幕保存成 SVG 和文本"},
	{"quit", "quit", "leaves vmviz (exit only ends the simulated process)", "退出 vmviz（exit 只结束模拟的进程）"},
};

const struct help_text *help_text_find(const char *name)
{
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (strcmp(texts[i].name, name) == 0)
			return &texts[i];
	return NULL;
}
