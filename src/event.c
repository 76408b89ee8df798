/* event.c - the event ring and its plain-words descriptions (English, Chinese). */
#include "event.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int event_log_init(struct event_log *log)
{
	log->ring = calloc(EVENT_RING, sizeof *log->ring);
	log->next_seq = 1;
	log->reasons = NULL;
	log->next_reason = 1;
	memset(log->counts, 0, sizeof log->counts);
	return log->ring ? 0 : -1;
}

void event_log_free(struct event_log *log)
{
	free(log->ring);
	free(log->reasons);
	log->ring = NULL;
	log->reasons = NULL;
}

/* A text cut at its buffer's end may end inside a UTF-8 character: drop
 * the partial one. */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xc0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = 0;
}

/* The next slot of the reason ring, now ev's. */
static struct event_reason *reason_slot(struct event_log *log, struct event *ev)
{
	if (!log->reasons) {
		/* Zeroed pages the host backs only once written: a machine that
		 * never explains anything costs nothing. */
		log->reasons = calloc(EVENT_REASONS, sizeof *log->reasons);
		if (!log->reasons)
			return NULL;
	}
	uint32_t id = log->next_reason++;
	if (log->next_reason == 0)
		log->next_reason = 1;
	struct event_reason *r = &log->reasons[id % EVENT_REASONS];
	r->id = id;
	ev->reason = id;
	return r;
}

struct reason_args *event_because_later(struct event_log *log, struct event *ev, enum reason_kind kind)
{
	struct event_reason *r = reason_slot(log, ev);
	if (!r)
		return NULL;
	r->kind = (uint8_t)kind;
	r->made = 0;
	return &r->a;
}

void event_because(struct event_log *log, struct event *ev, const char *fmt_en, const char *fmt_zh, ...)
{
	struct event_reason *r = reason_slot(log, ev);
	if (!r)
		return;
	r->kind = RK_TEXT;
	r->made = 1;
	va_list ap, ap2;
	va_start(ap, fmt_zh);
	va_copy(ap2, ap);
	vsnprintf(r->en, sizeof r->en, fmt_en, ap);
	vsnprintf(r->zh, sizeof r->zh, fmt_zh, ap2);
	va_end(ap2);
	va_end(ap);
	utf8_trim(r->zh);
	utf8_trim(r->en);
}

void event_because_text(struct event_log *log, struct event *ev, const char *en, const char *zh)
{
	event_because(log, ev, "%s%.0s", "%.0s%s", en, zh);
}

const char *event_reason(const struct event_log *log, const struct event *ev, int zh)
{
	if (!ev || !ev->reason || !log->reasons)
		return NULL;
	struct event_reason *r = &log->reasons[ev->reason % EVENT_REASONS];
	if (r->id != ev->reason)
		return NULL;
	if (!r->made) {
		reason_text((enum reason_kind)r->kind, &r->a, r->en, sizeof r->en, r->zh, sizeof r->zh);
		utf8_trim(r->zh);
		utf8_trim(r->en);
		r->made = 1;
	}
	return zh ? r->zh : r->en;
}

struct event *event_push(struct event_log *log, enum event_kind kind, int pid)
{
	struct event *ev = &log->ring[log->next_seq % EVENT_RING];
	memset(ev, 0, sizeof *ev);
	ev->seq = log->next_seq++;
	ev->kind = kind;
	ev->pid = pid;
	ev->pfn = EVENT_NONE;
	ev->slot = EVENT_NONE;
	log->counts[kind]++;
	return ev;
}

void event_log_truncate(struct event_log *log, uint64_t seq)
{
	while (log->next_seq > seq && log->next_seq > 1) {
		log->next_seq--;
		log->counts[log->ring[log->next_seq % EVENT_RING].kind]--;
	}
}

uint64_t event_oldest(const struct event_log *log)
{
	return log->next_seq > EVENT_RING ? log->next_seq - EVENT_RING : 1;
}

const struct event *event_get(const struct event_log *log, uint64_t seq)
{
	if (seq == 0 || seq >= log->next_seq || seq < event_oldest(log))
		return NULL;
	return &log->ring[seq % EVENT_RING];
}

static const char *const kind_names[EV_KIND_COUNT] = {
	[EV_ACCESS] = "access",       [EV_TLB_HIT] = "tlb",        [EV_TLB_MISS] = "tlb",
	[EV_WALK] = "walk",           [EV_HIT] = "hit",            [EV_FAULT_MINOR] = "fault",
	[EV_FAULT_MAJOR] = "fault",   [EV_ZERO_PAGE] = "zero",     [EV_FRAME_ALLOC] = "frame",
	[EV_FRAME_FREE] = "frame",    [EV_PTE_SET] = "pte",        [EV_PTE_CLEAR] = "pte",
	[EV_TABLE_ALLOC] = "table",   [EV_TABLE_FREE] = "table",   [EV_EVICT] = "evict",
	[EV_SWAP_OUT] = "swap",       [EV_SWAP_IN] = "swap",       [EV_FILE_DROP] = "file",
	[EV_FILE_READ] = "file",      [EV_COW] = "cow",            [EV_SEGV] = "segv",
	[EV_OOM_KILL] = "oom",        [EV_BRK] = "brk",            [EV_MMAP] = "mmap",
	[EV_MUNMAP] = "munmap",       [EV_STACK_GROW] = "stack",   [EV_MALLOC] = "malloc",
	[EV_FREE] = "free",           [EV_PROC_NEW] = "proc",      [EV_FORK] = "fork",
	[EV_PROC_EXIT] = "exit",      [EV_PROC_SWITCH] = "proc",   [EV_POLICY] = "config",
	[EV_MREMAP] = "mremap",       [EV_MPROTECT] = "mprotect",  [EV_CALL] = "call",
	[EV_RETURN] = "return",
};

const char *event_kind_name(enum event_kind kind)
{
	return (unsigned)kind < EV_KIND_COUNT && kind_names[kind] ? kind_names[kind] : "?";
}

static const char *const level_names4[] = {"PGD", "PUD", "PMD", "PTE"};
static const char *const level_names2[] = {"PGD", "PTE"};

static const char *level_name(int level, uint64_t levels)
{
	if (levels == 2)
		return level >= 0 && level < 2 ? level_names2[level] : "?";
	return level >= 0 && level < 4 ? level_names4[level] : "?";
}

/* English and Chinese texts of the few "why" strings the engine uses. */
const char *event_why_zh(const char *why)
{
	static const struct { const char *en, *zh; } tr[] = {
		{"demand zero", "按需分配：进程得到一个清零的新物理页"},
		{"zero page", "读：映射共享零页"},
		{"copy-on-write", "写时复制"},
		{"page cache", "页缓存命中"},
		{"shared memory", "共享内存，另一个进程已调入"},
		{"shared memory passed on", "共享内存页转给仍映射它的进程"},
		{"swap cache", "swap 缓存命中"},
		{"swap-in", "从 swap 换入"},
		{"file read", "从文件读入"},
		{"no mapping", "地址不在任何 VMA 中"},
		{"write to read-only page", "写只读页"},
		{"kernel address", "用户态访问内核地址"},
		{"non-canonical address", "非规范地址（用户空间与内核空间之间的空洞）"},
		{"execute/read not permitted", "无读权限"},
		{"killed", "被杀死"},
		{"exited", "退出"},
		{"killed by SIGSEGV", "因 SIGSEGV 被杀死"},
		{"killed by the OOM killer", "被 OOM killer 杀死"},
		{"killed by SIGABRT", "因 SIGABRT 被杀死（glibc 发现堆被破坏）"},
		{"anonymous page", "匿名页"},
		{"private copy", "私有副本"},
		{"special mapping, not simulated", "特殊映射，未模拟"},
		{"out of memory", "内存耗尽"},
		{"SIGSEGV", "段错误 SIGSEGV"},
		{"stack overflow: past the 8 MiB stack limit", "栈溢出：超过了 8 MiB 的栈大小上限"},
		{"stack overflow: into the guard gap above a mapping", "栈溢出：闯进了下方映射之上的保护间隙"},
		{"stack overflow: cannot commit memory", "栈溢出：无法提交内存（overcommit）"},
		{"moved by mremap", "由 mremap 搬移"},
		{"above user space (TASK_SIZE)", "超出用户空间上限 TASK_SIZE"},
	};
	if (!why)
		return "";
	for (size_t i = 0; i < sizeof tr / sizeof tr[0]; i++)
		if (strcmp(why, tr[i].en) == 0)
			return tr[i].zh;
	return why;
}

/* A byte count the way a lecturer says it: 200K, 1M, 1000. */
static const char *bytes_text(uint64_t n, char *buf, size_t size)
{
	if (n >= 1024ull * 1024 * 1024 && n % (1024ull * 1024 * 1024) == 0)
		snprintf(buf, size, "%" PRIu64 "G", n >> 30);
	else if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(buf, size, "%" PRIu64 "M", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, size, "%" PRIu64 "K", n >> 10);
	else
		snprintf(buf, size, "%" PRIu64, n);
	return buf;
}

/* "malloc(1000) = 0x...", "calloc(4, 1000) = NULL", "realloc(0x..., 2000) = 0x..." */
static int alloc_call(const struct event *e, char *buf, size_t size)
{
	const char *call = e->text[0] ? e->text : "malloc";
	char result[24] = "NULL";
	if (e->va)
		snprintf(result, sizeof result, "0x%" PRIx64, e->va);
	if (strcmp(call, "realloc") == 0)
		return snprintf(buf, size, "realloc(0x%" PRIx64 ", %" PRIu64 ") = %s", e->b, e->a, result);
	if (strcmp(call, "calloc") == 0)
		return snprintf(buf, size, "calloc(%" PRId64 ", %" PRId64 ") = %s", e->slot, e->pfn, result);
	return snprintf(buf, size, "%s(%" PRIu64 ") = %s", call, e->a, result);
}

static size_t describe_alloc_en(const struct event *e, char *buf, size_t size)
{
	char n1[24], n2[24], call[96];
	if (e->kind == EV_FREE) {
		if (e->level == AW_ABORT)
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 "): glibc aborts: \"%s\"", e->va, e->why ? e->why : "");
		const char *what = "";
		switch (e->level) {
		case AW_TO_TCACHE:
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 "): into tcache (its bin of %" PRIu64
						"-byte chunks now holds %" PRId64 " of 7); pages stay",
						e->va, e->b, e->slot);
		case AW_TO_FASTBIN:
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 "): tcache bin full, into the fastbin of %" PRIu64
						"-byte chunks; pages stay", e->va, e->b);
		case AW_TO_UNSORTED: what = "merged with any free neighbour, into the unsorted bin; pages stay"; break;
		case AW_TO_TOP: what = "merged into the top chunk; pages stay"; break;
		case AW_TRIMMED:
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 "): merged into the top chunk, which passed the trim "
						"threshold: brk gave %s back", e->va, bytes_text(e->b, n1, sizeof n1));
		case AW_MUNMAP:
			if (e->b)
				return (size_t)snprintf(buf, size, "free(0x%" PRIx64 "): mmapped chunk, unmapped; mmap threshold "
							"raised to %s", e->va, bytes_text(e->b, n1, sizeof n1));
			what = "mmapped chunk, unmapped";
			break;
		default: what = "chunk back to malloc"; break;
		}
		return (size_t)snprintf(buf, size, "free(0x%" PRIx64 "): %s", e->va, what);
	}
	alloc_call(e, call, sizeof call);
	if (e->level == AW_ABORT)
		return (size_t)snprintf(buf, size, "%s(%" PRIu64 "): glibc aborts: \"%s\"", e->text, e->a, e->why ? e->why : "");
	const char *from = "";
	switch (e->level) {
	case AW_TCACHE: from = "from tcache (a chunk of this size freed earlier, last in first out)"; break;
	case AW_FASTBIN: from = "from a fastbin"; break;
	case AW_SMALLBIN: from = "from a small bin"; break;
	case AW_UNSORTED: from = "from the unsorted bin (exact fit)"; break;
	case AW_LAST_REMAINDER: from = "split from the last remainder (in the unsorted bin)"; break;
	case AW_LARGEBIN: from = "from a large bin (best fit)"; break;
	case AW_BINMAP: from = "split from a larger free chunk"; break;
	case AW_TOP: from = "split from the top chunk"; break;
	case AW_TOP_GROWN:
		return (size_t)snprintf(buf, size, "%s: split from the top chunk after brk grew the heap by %s", call,
					bytes_text(e->b, n1, sizeof n1));
	case AW_MMAP:
		return (size_t)snprintf(buf, size, "%s: mmapped: no free chunk or top fits and %s >= mmap threshold %s", call,
					bytes_text(e->a, n1, sizeof n1), bytes_text(e->b, n2, sizeof n2));
	case AW_NULL: from = "the kernel refused more memory (brk and mmap failed)"; break;
	case AW_TOO_LARGE: from = "the size overflows or passes PTRDIFF_MAX (errno ENOMEM)"; break;
	case AW_REALLOC_SAME: from = "fits where it is"; break;
	case AW_REALLOC_TOP: from = "grown in place into the top chunk"; break;
	case AW_REALLOC_NEXT: from = "grown in place into the free chunk after it"; break;
	case AW_REALLOC_MOVED: from = "moved: malloc, copy, free the old block"; break;
	case AW_REALLOC_MREMAP: from = "mmapped chunk resized with mremap (pages move, no copy)"; break;
	default: break;
	}
	return (size_t)snprintf(buf, size, "%s: %s", call, from);
}

static size_t describe_alloc_zh(const struct event *e, char *buf, size_t size)
{
	char n1[24], n2[24], call[96];
	if (e->kind == EV_FREE) {
		if (e->level == AW_ABORT)
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 ")：glibc 终止进程：\"%s\"", e->va, e->why ? e->why : "");
		const char *what = "";
		switch (e->level) {
		case AW_TO_TCACHE:
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 ")：放进 tcache（%" PRIu64 " 字节块的链现有 %" PRId64
						" 个，最多 7 个）；页仍驻留", e->va, e->b, e->slot);
		case AW_TO_FASTBIN:
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 ")：tcache 已满，放进 %" PRIu64 " 字节块的 fastbin；页仍驻留",
						e->va, e->b);
		case AW_TO_UNSORTED: what = "与空闲的邻块合并，放进 unsorted bin；页仍驻留"; break;
		case AW_TO_TOP: what = "并入 top 块；页仍驻留"; break;
		case AW_TRIMMED:
			return (size_t)snprintf(buf, size, "free(0x%" PRIx64 ")：并入 top 块，top 超过收缩阈值：brk 归还 %s", e->va,
						bytes_text(e->b, n1, sizeof n1));
		case AW_MUNMAP:
			if (e->b)
				return (size_t)snprintf(buf, size, "free(0x%" PRIx64 ")：mmap 来的块，munmap 归还；mmap 阈值升到 %s",
							e->va, bytes_text(e->b, n1, sizeof n1));
			what = "mmap 来的块，munmap 归还";
			break;
		default: what = "块还给 malloc"; break;
		}
		return (size_t)snprintf(buf, size, "free(0x%" PRIx64 ")：%s", e->va, what);
	}
	alloc_call(e, call, sizeof call);
	if (e->level == AW_ABORT)
		return (size_t)snprintf(buf, size, "%s(%" PRIu64 ")：glibc 终止进程：\"%s\"", e->text, e->a, e->why ? e->why : "");
	const char *from = "";
	switch (e->level) {
	case AW_TCACHE: from = "来自 tcache（之前释放的同样大小的块，后进先出）"; break;
	case AW_FASTBIN: from = "来自 fastbin"; break;
	case AW_SMALLBIN: from = "来自 small bin"; break;
	case AW_UNSORTED: from = "来自 unsorted bin（大小正好）"; break;
	case AW_LAST_REMAINDER: from = "从 last remainder 切出（在 unsorted bin 里）"; break;
	case AW_LARGEBIN: from = "来自 large bin（最合适的块）"; break;
	case AW_BINMAP: from = "从一个更大的空闲块切出"; break;
	case AW_TOP: from = "从 top 块切出"; break;
	case AW_TOP_GROWN:
		return (size_t)snprintf(buf, size, "%s：brk 把堆扩大 %s 之后，从 top 块切出", call, bytes_text(e->b, n1, sizeof n1));
	case AW_MMAP:
		return (size_t)snprintf(buf, size, "%s：mmap：没有空闲块、top 也不够，且 %s >= mmap 阈值 %s", call,
					bytes_text(e->a, n1, sizeof n1), bytes_text(e->b, n2, sizeof n2));
	case AW_NULL: from = "内核拒绝再给内存（brk 和 mmap 都失败）"; break;
	case AW_TOO_LARGE: from = "大小溢出或超过 PTRDIFF_MAX（errno ENOMEM）"; break;
	case AW_REALLOC_SAME: from = "原地就放得下"; break;
	case AW_REALLOC_TOP: from = "原地扩展进 top 块"; break;
	case AW_REALLOC_NEXT: from = "原地扩展进后面的空闲块"; break;
	case AW_REALLOC_MOVED: from = "搬走：malloc、复制、释放旧块"; break;
	case AW_REALLOC_MREMAP: from = "mmap 来的块用 mremap 改变大小（页直接搬，不复制）"; break;
	default: break;
	}
	return (size_t)snprintf(buf, size, "%s：%s", call, from);
}

static size_t describe_en(const struct event *e, char *buf, size_t size)
{
	const char *why = e->why ? e->why : "";
	switch (e->kind) {
	case EV_ACCESS:
		return (size_t)snprintf(buf, size, "%s 0x%" PRIx64, e->a ? "write to" : "read of", e->va);
	case EV_TLB_HIT:
		return (size_t)snprintf(buf, size, "TLB hit: 0x%" PRIx64 " translated without a walk", e->va);
	case EV_TLB_MISS:
		return (size_t)snprintf(buf, size, "TLB miss: the MMU walks the page table");
	case EV_WALK:
		return (size_t)snprintf(buf, size, "%s[%" PRIu64 "] -> %s", level_name(e->level, e->b),
					e->a, why);
	case EV_HIT:
		return (size_t)snprintf(buf, size, "hit, page in frame %" PRId64, e->pfn);
	case EV_FAULT_MINOR:
		return (size_t)snprintf(buf, size, "page fault -> minor fault (%s)", why);
	case EV_FAULT_MAJOR:
		return (size_t)snprintf(buf, size, "page fault -> major fault (%s, disk I/O)", why);
	case EV_ZERO_PAGE:
		return (size_t)snprintf(buf, size, "read of untouched memory maps the shared zero page (frame %" PRId64 ")",
					e->pfn);
	case EV_FRAME_ALLOC:
		return (size_t)snprintf(buf, size, "frame %" PRId64 " allocated (%s)", e->pfn, why);
	case EV_FRAME_FREE:
		return (size_t)snprintf(buf, size, "frame %" PRId64 " freed", e->pfn);
	case EV_PTE_SET:
		return (size_t)snprintf(buf, size, "PTE set: page 0x%" PRIx64 " -> frame %" PRId64 "%s%s", e->va,
					e->pfn, *why ? " " : "", why);
	case EV_PTE_CLEAR:
		if (e->slot >= 0)
			return (size_t)snprintf(buf, size, "PTE of page 0x%" PRIx64 " now holds swap slot %" PRId64 " (not present)",
						e->va, e->slot);
		return (size_t)snprintf(buf, size, "PTE cleared: page 0x%" PRIx64, e->va);
	case EV_TABLE_ALLOC:
		return (size_t)snprintf(buf, size, "new %s table #%" PRIu64, level_name(e->level, e->b ? e->b : 4), e->a);
	case EV_TABLE_FREE:
		return (size_t)snprintf(buf, size, "empty %s table #%" PRIu64 " freed", level_name(e->level, e->b ? e->b : 4), e->a);
	case EV_EVICT:
		if (!e->pid && e->text[0])
			return (size_t)snprintf(buf, size, "no free frame: %s evicts frame %" PRId64
							   " (page cache only: %s page %" PRIu64 ")",
						why, e->pfn, e->text, e->a);
		return (size_t)snprintf(buf, size, "no free frame: %s evicts frame %" PRId64 " (pid %d page 0x%" PRIx64 ")",
					why, e->pfn, e->pid, e->va);
	case EV_SWAP_OUT:
		if (e->b)
			return (size_t)snprintf(buf, size, "frame %" PRId64 " unchanged since swap-in: swap slot %" PRId64
							   " still holds it, no write", e->pfn, e->slot);
		return (size_t)snprintf(buf, size, "frame %" PRId64 " written to swap slot %" PRId64, e->pfn, e->slot);
	case EV_SWAP_IN:
		return (size_t)snprintf(buf, size, "swap slot %" PRId64 " read into frame %" PRId64, e->slot, e->pfn);
	case EV_FILE_DROP:
		return (size_t)snprintf(buf, size, "clean file page dropped from frame %" PRId64 " (re-read on access)", e->pfn);
	case EV_FILE_READ:
		return (size_t)snprintf(buf, size, "file page read from disk into frame %" PRId64, e->pfn);
	case EV_COW:
		if ((uint64_t)e->pfn == e->a)
			return (size_t)snprintf(buf, size, "copy-on-write: last user of frame %" PRId64 ", made writable", e->pfn);
		return (size_t)snprintf(buf, size, "copy-on-write: frame %" PRIu64 " copied to frame %" PRId64, e->a, e->pfn);
	case EV_SEGV:
		return (size_t)snprintf(buf, size, "SIGSEGV (%s): process %d killed", why, e->pid);
	case EV_OOM_KILL:
		return (size_t)snprintf(buf, size,
					"out of memory: OOM killer kills pid %d (highest badness %" PRIu64 ": %" PRIu64
					" resident + %" PRIu64 " swapped + %d page-table pages)",
					e->pid, e->a + e->b + (uint64_t)e->level, e->a, e->b, e->level);
	case EV_BRK:
		return (size_t)snprintf(buf, size, "brk: heap end 0x%" PRIx64 " -> 0x%" PRIx64, e->a, e->b);
	case EV_MMAP:
		if (e->b)
			return (size_t)snprintf(buf, size,
						"mmap: 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64
						" KiB, no frames yet) merged with its neighbour: one VMA 0x%" PRIx64 "-0x%" PRIx64,
						e->va, e->va + e->a, e->a / 1024, e->b, e->c);
		return (size_t)snprintf(buf, size, "mmap: new VMA 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " KiB, no frames yet)",
					e->va, e->va + e->a, e->a / 1024);
	case EV_MUNMAP:
		return (size_t)snprintf(buf, size, "munmap: VMA 0x%" PRIx64 "-0x%" PRIx64 " removed", e->va, e->va + e->a);
	case EV_STACK_GROW:
		return (size_t)snprintf(buf, size, "stack grows down to 0x%" PRIx64, e->va);
	case EV_MREMAP:
		if (e->va == e->b)
			return (size_t)snprintf(buf, size, "mremap: VMA at 0x%" PRIx64 " is now %" PRIu64 " KiB, in place",
						e->va, e->a / 1024);
		return (size_t)snprintf(buf, size,
					"mremap: VMA moved 0x%" PRIx64 " -> 0x%" PRIx64 " (%" PRIu64
					" KiB): page-table entries moved, frames stay, nothing copied",
					e->b, e->va, e->a / 1024);
	case EV_CALL:
		return (size_t)snprintf(buf, size, "call: frame %" PRIu64 " of %" PRIu64 " bytes, stack pointer now 0x%" PRIx64,
					e->b, e->a, e->va);
	case EV_RETURN:
		return (size_t)snprintf(buf, size,
					"return: stack pointer back to 0x%" PRIx64 " (%" PRIu64
					" frames left); the frame's pages stay mapped",
					e->va, e->a);
	case EV_MPROTECT:
		return (size_t)snprintf(buf, size, "mprotect: 0x%" PRIx64 "-0x%" PRIx64 " is now %c%c%c", e->va, e->va + e->a,
					(e->b & 1) ? 'r' : '-', (e->b & 2) ? 'w' : '-', (e->b & 4) ? 'x' : '-');
	case EV_MALLOC:
	case EV_FREE:
		return describe_alloc_en(e, buf, size);
	case EV_PROC_NEW:
		return (size_t)snprintf(buf, size, "process %d (%s) started", e->pid, e->text);
	case EV_FORK:
		return (size_t)snprintf(buf, size, "fork: pid %d -> child %" PRIu64 " (pages shared copy-on-write)", e->pid, e->a);
	case EV_PROC_EXIT:
		return (size_t)snprintf(buf, size, "process %d %s", e->pid, why);
	case EV_PROC_SWITCH:
		return (size_t)snprintf(buf, size, "now looking at process %d", e->pid);
	case EV_POLICY:
		return (size_t)snprintf(buf, size, "%s", e->text);
	case EV_KIND_COUNT:
		break;
	}
	return (size_t)snprintf(buf, size, "?");
}

static size_t describe_zh(const struct event *e, char *buf, size_t size)
{
	const char *why = event_why_zh(e->why);
	switch (e->kind) {
	case EV_ACCESS:
		return (size_t)snprintf(buf, size, "%s 0x%" PRIx64, e->a ? "写" : "读", e->va);
	case EV_TLB_HIT:
		return (size_t)snprintf(buf, size, "TLB 命中");
	case EV_TLB_MISS:
		return (size_t)snprintf(buf, size, "TLB 未命中：MMU 查页表");
	case EV_HIT:
		return (size_t)snprintf(buf, size, "命中，页在物理页 %" PRId64 " 中", e->pfn);
	case EV_FAULT_MINOR:
		return (size_t)snprintf(buf, size, "缺页异常 -> 次缺页（%s）", why);
	case EV_FAULT_MAJOR:
		return (size_t)snprintf(buf, size, "缺页异常 -> 主缺页（%s，需要磁盘 I/O，很慢）", why);
	case EV_ZERO_PAGE:
		return (size_t)snprintf(buf, size, "读未写过的内存：映射共享零页（物理页 %" PRId64 "）", e->pfn);
	case EV_FRAME_ALLOC:
		return (size_t)snprintf(buf, size, "分配物理页 %" PRId64 "（%s）", e->pfn, why);
	case EV_FRAME_FREE:
		return (size_t)snprintf(buf, size, "释放物理页 %" PRId64, e->pfn);
	case EV_PTE_SET:
		return (size_t)snprintf(buf, size, "建立页表映射：虚拟页 0x%" PRIx64 " -> 物理页 %" PRId64, e->va, e->pfn);
	case EV_PTE_CLEAR:
		if (e->slot >= 0)
			return (size_t)snprintf(buf, size, "页表项 0x%" PRIx64 " 改为 swap 槽 %" PRId64 "（不在内存）", e->va, e->slot);
		return (size_t)snprintf(buf, size, "清除页表项：虚拟页 0x%" PRIx64, e->va);
	case EV_EVICT:
		if (!e->pid && e->text[0])
			return (size_t)snprintf(buf, size, "没有空闲物理页：%s 选中物理页 %" PRId64 " 淘汰（只在页缓存中：%s 第 %" PRIu64
							   " 页）",
						e->why ? e->why : "", e->pfn, e->text, e->a);
		return (size_t)snprintf(buf, size, "没有空闲物理页：%s 选中物理页 %" PRId64 " 淘汰（进程 %d）", e->why ? e->why : "",
					e->pfn, e->pid);
	case EV_SWAP_OUT:
		if (e->b)
			return (size_t)snprintf(buf, size, "物理页 %" PRId64 " 换入后没改过：swap 槽 %" PRId64 " 里还有，不用再写",
						e->pfn, e->slot);
		return (size_t)snprintf(buf, size, "物理页 %" PRId64 " 写到 swap 槽 %" PRId64, e->pfn, e->slot);
	case EV_SWAP_IN:
		return (size_t)snprintf(buf, size, "swap 槽 %" PRId64 " 读回物理页 %" PRId64, e->slot, e->pfn);
	case EV_FILE_DROP:
		return (size_t)snprintf(buf, size, "丢弃干净的文件页（物理页 %" PRId64 "），以后从文件重读", e->pfn);
	case EV_FILE_READ:
		return (size_t)snprintf(buf, size, "从磁盘读文件页到物理页 %" PRId64, e->pfn);
	case EV_COW:
		return (size_t)snprintf(buf, size, "写时复制：物理页 %" PRIu64 " -> %" PRId64, e->a, e->pfn);
	case EV_SEGV:
		return (size_t)snprintf(buf, size, "段错误 SIGSEGV（%s）：进程 %d 被杀死", why, e->pid);
	case EV_OOM_KILL:
		return (size_t)snprintf(buf, size,
					"内存耗尽：OOM killer 杀死进程 %d（badness 最高 %" PRIu64 "：内存 %" PRIu64 " 页 + swap %" PRIu64
					" 页 + 页表 %d 页）",
					e->pid, e->a + e->b + (uint64_t)e->level, e->a, e->b, e->level);
	case EV_BRK:
		return (size_t)snprintf(buf, size, "brk：堆顶 0x%" PRIx64 " -> 0x%" PRIx64, e->a, e->b);
	case EV_MMAP:
		if (e->b)
			return (size_t)snprintf(buf, size,
						"mmap：0x%" PRIx64 "（%" PRIu64 " KiB，还没有物理内存）与相邻的 VMA 合并为 0x%" PRIx64
						"-0x%" PRIx64,
						e->va, e->a / 1024, e->b, e->c);
		return (size_t)snprintf(buf, size, "mmap：新建 VMA 0x%" PRIx64 "（%" PRIu64 " KiB，还没有物理内存）", e->va, e->a / 1024);
	case EV_MUNMAP:
		return (size_t)snprintf(buf, size, "munmap：删除 VMA 0x%" PRIx64, e->va);
	case EV_MALLOC:
	case EV_FREE:
		return describe_alloc_zh(e, buf, size);
	case EV_FORK:
		return (size_t)snprintf(buf, size, "fork：进程 %d -> 子进程 %" PRIu64 "（写时复制共享页）", e->pid, e->a);
	case EV_PROC_NEW:
		return (size_t)snprintf(buf, size, "进程 %d（%s）启动", e->pid, e->text);
	case EV_PROC_EXIT:
		return (size_t)snprintf(buf, size, "进程 %d %s", e->pid, why);
	case EV_TABLE_ALLOC:
		return (size_t)snprintf(buf, size, "新建 %s 页表 #%" PRIu64, level_name(e->level, e->b ? e->b : 4), e->a);
	case EV_TABLE_FREE:
		return (size_t)snprintf(buf, size, "释放空的 %s 页表 #%" PRIu64, level_name(e->level, e->b ? e->b : 4), e->a);
	case EV_STACK_GROW:
		return (size_t)snprintf(buf, size, "栈向下增长到 0x%" PRIx64, e->va);
	case EV_MREMAP:
		if (e->va == e->b)
			return (size_t)snprintf(buf, size, "mremap：0x%" PRIx64 " 处的 VMA 原地变为 %" PRIu64 " KiB", e->va, e->a / 1024);
		return (size_t)snprintf(buf, size, "mremap：VMA 从 0x%" PRIx64 " 移到 0x%" PRIx64 "（%" PRIu64
					" KiB）：只搬页表项，物理页不动，不复制",
					e->b, e->va, e->a / 1024);
	case EV_CALL:
		return (size_t)snprintf(buf, size, "函数调用：第 %" PRIu64 " 层栈帧 %" PRIu64 " 字节，栈指针变为 0x%" PRIx64, e->b,
					e->a, e->va);
	case EV_RETURN:
		return (size_t)snprintf(buf, size, "函数返回：栈指针回到 0x%" PRIx64 "（还剩 %" PRIu64 " 层）；栈帧的页仍然映射着",
					e->va, e->a);
	case EV_MPROTECT:
		return (size_t)snprintf(buf, size, "mprotect：0x%" PRIx64 "-0x%" PRIx64 " 权限改为 %c%c%c", e->va, e->va + e->a,
					(e->b & 1) ? 'r' : '-', (e->b & 2) ? 'w' : '-', (e->b & 4) ? 'x' : '-');
	case EV_PROC_SWITCH:
		return (size_t)snprintf(buf, size, "切换到进程 %d", e->pid);
	case EV_WALK:
		return (size_t)snprintf(buf, size, "%s[%" PRIu64 "] -> %s", level_name(e->level, e->b), e->a, why);
	default:
		return describe_en(e, buf, size);
	}
}

size_t event_describe(const struct event *ev, enum lang lang, char *buf, size_t size)
{
	size_t n = lang == LANG_ZH ? describe_zh(ev, buf, size) : describe_en(ev, buf, size);
	return n < size ? n : (size ? size - 1 : 0);
}
