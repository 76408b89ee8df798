/* malloc_why.c - the reasons of malloc's and free's events: the rule glibc
 * followed and the numbers it compared (threshold, top size, bin counts).
 * Memory is read with vm_peek: explaining must not fault or touch pages. */
#include "internal.h"
#include "malloc_int.h"

#include <inttypes.h>
#include <stdio.h>

#define TCACHE_MAX_BYTES 1032u   /* the largest request tcache takes (64-bit) */
#define TCACHE_FILL 7u           /* chunks per tcache bin */

/* A word of the process's memory, without side effects (0 if unreadable). */
static uint64_t peek_word(const struct mctx *m, vaddr_t a)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < m->g->sz; i++) {
		uint8_t b = 0;
		if (!vm_peek(m->vm, m->pid, a + i, &b))
			return 0;
		v |= (uint64_t)b << (8 * i);
	}
	return v;
}

uint64_t m_top_size_peek(const struct mctx *m)
{
	if (!m->h->top)
		return 0;
	return peek_word(m, m->h->top + m->g->sz) & ~(uint64_t)SIZE_BITS;
}

static uint64_t chunk_size_peek(const struct mctx *m, vaddr_t mem)
{
	return peek_word(m, mem - m->g->sz) & ~(uint64_t)SIZE_BITS;
}

void m_malloc_reason(struct mctx *m, struct event *ev, uint64_t top0)
{
	struct event_log *log = &m->vm->log;
	const struct heap *h = m->h;
	uint64_t size = ev->a, top1 = m_top_size_peek(m), chunk = ev->va ? chunk_size_peek(m, ev->va) : 0;
	uint64_t thr = h->mmap_threshold;
	switch ((enum alloc_why)ev->level) {
	case AW_TCACHE:
		event_because(log, ev,
			      "its tcache bin (%" PRIu64 "-byte chunks) was not empty: the chunk freed last is handed out "
			      "first, with no search and no system call",
			      "它的 tcache 链（%" PRIu64 " 字节的块）不空：最后释放的那块最先交出，不用查找，也没有系统调用",
			      chunk);
		break;
	case AW_FASTBIN: case AW_SMALLBIN: case AW_UNSORTED: case AW_LAST_REMAINDER: case AW_LARGEBIN: case AW_BINMAP:
		event_because(log, ev,
			      "a %" PRIu64 "-byte chunk was needed; tcache had none, but a free chunk in the bins fits, "
			      "so the heap does not grow (top stays %" PRIu64 " bytes)",
			      "需要一个 %" PRIu64 " 字节的块；tcache 里没有，但 bin 里有合适的空闲块，所以堆不用长（top 仍是 %" PRIu64 " 字节）",
			      chunk, top1);
		break;
	case AW_TOP:
		event_because(log, ev,
			      "no free chunk fits a %" PRIu64 "-byte chunk, so it is cut from the top chunk: top %" PRIu64
			      " bytes before, %" PRIu64 " after; no system call",
			      "没有空闲块放得下 %" PRIu64 " 字节的块，于是从 top 块切出：top 之前 %" PRIu64 " 字节，之后 %" PRIu64
			      " 字节；没有系统调用",
			      chunk, top0, top1);
		break;
	case AW_TOP_GROWN:
		if (size >= thr) {
			/* At or over the threshold, but mmap was not to be had. */
			event_because(log, ev,
				      "size %" PRIu64 " >= mmap threshold %" PRIu64 ", but no mapping could be made (the "
				      "mmap count limit, or the kernel refused): brk grew the heap by %" PRIu64 " instead; "
				      "top now %" PRIu64 " bytes",
				      "大小 %" PRIu64 " >= mmap 阈值 %" PRIu64 "，但映射不成（mmap 次数上限，或内核拒绝）："
				      "改由 brk 把堆扩大 %" PRIu64 "；top 现在 %" PRIu64 " 字节",
				      size, thr, ev->b, top1);
			break;
		}
		event_because(log, ev,
			      "the top chunk (%" PRIu64 " bytes) was smaller than the %" PRIu64 "-byte chunk needed and "
			      "%" PRIu64 " < mmap threshold %" PRIu64 ", so brk grew the heap by %" PRIu64
			      " (what was missing + the 128 KiB top pad, rounded to pages); top now %" PRIu64 " bytes",
			      "top 块（%" PRIu64 " 字节）小于需要的 %" PRIu64 " 字节，而且 %" PRIu64 " < mmap 阈值 %" PRIu64
			      "，所以 brk 把堆扩大 %" PRIu64 "（缺的部分 + 128 KiB 的 M_TOP_PAD 预留，按页取整）；top 现在 %" PRIu64 " 字节",
			      top0, chunk, size, thr, ev->b, top1);
		break;
	case AW_MMAP:
		event_because(log, ev,
			      "size %" PRIu64 " >= mmap threshold %" PRIu64 " and neither a free chunk nor the top (%" PRIu64
			      " bytes) could serve it: sysmalloc maps a chunk of its own, %" PRIu64
			      " bytes (request + header, rounded up to pages)",
			      "大小 %" PRIu64 " >= mmap 阈值 %" PRIu64 "，而且空闲块和 top（%" PRIu64
			      " 字节）都不够：sysmalloc 单独映射一块，%" PRIu64 " 字节（请求 + 块头，按页取整）",
			      size, thr, top1, chunk);
		break;
	case AW_NULL:
		event_because(log, ev,
			      "the bins and the top could not serve %" PRIu64 " bytes and the kernel refused both mmap and "
			      "brk (overcommit or no address space): malloc returns NULL",
			      "bin 和 top 都满足不了 %" PRIu64 " 字节，内核又拒绝了 mmap 和 brk（overcommit 或地址空间不够）：malloc 返回 NULL",
			      size);
		break;
	default:
		break;
	}
}

void m_free_reason(struct mctx *m, struct event *ev, uint64_t chunk, uint64_t thr0)
{
	struct event_log *log = &m->vm->log;
	const struct heap *h = m->h;
	uint64_t top1 = m_top_size_peek(m);
	switch ((enum alloc_why)ev->level) {
	case AW_TO_TCACHE:
		event_because(log, ev,
			      "a %" PRIu64 "-byte chunk (requests up to %u bytes) and its tcache bin held fewer than %u: "
			      "it goes there as it is, no merging; the next malloc of this size gets it back",
			      "%" PRIu64 " 字节的块（请求不超过 %u 字节）而且它的 tcache 链不到 %u 个：原样放进去，不合并；"
			      "下一次同样大小的 malloc 会拿回它",
			      chunk, TCACHE_MAX_BYTES, TCACHE_FILL);
		break;
	case AW_TO_FASTBIN:
		event_because(log, ev,
			      "its tcache bin already held %u chunks, and %" PRIu64 " bytes is small enough for a fastbin: "
			      "kept there unmerged",
			      "它的 tcache 链已经有 %u 个块，而 %" PRIu64 " 字节小到可以进 fastbin：不合并，放在那里",
			      TCACHE_FILL, chunk);
		break;
	case AW_TO_UNSORTED:
		event_because(log, ev,
			      "a %" PRIu64 "-byte chunk is too large for tcache and the fastbins (or their bins are full): it "
			      "merges with free neighbours and waits in the unsorted bin",
			      "%" PRIu64 " 字节的块对 tcache 和 fastbin 来说太大（或它们已满）：与空闲的邻块合并，放进 unsorted bin",
			      chunk);
		break;
	case AW_TO_TOP:
		event_because(log, ev,
			      "the chunk borders the top chunk, so it merges into it: top now %" PRIu64
			      " bytes, not over the trim threshold %" PRIu64 ", so brk stays",
			      "这一块紧挨着 top 块，于是并入 top：top 现在 %" PRIu64 " 字节，没超过收缩阈值 %" PRIu64 "，brk 不动",
			      top1, h->trim_threshold);
		break;
	case AW_TRIMMED:
		event_because(log, ev,
			      "merged into the top chunk, which passed the trim threshold %" PRIu64
			      ": brk gave %" PRIu64 " bytes back to the kernel (top now %" PRIu64 " bytes)",
			      "并入 top 块后超过了收缩阈值 %" PRIu64 "：brk 把 %" PRIu64 " 字节还给内核（top 现在 %" PRIu64 " 字节）",
			      h->trim_threshold, ev->b, top1);
		break;
	case AW_MUNMAP:
		if (ev->b)
			event_because(log, ev,
				      "threshold now %" PRIu64 " because free() of a %" PRIu64 "-byte mmapped chunk raises it "
				      "(it was %" PRIu64 "; glibc's dynamic threshold: a block of this size will come from the "
				      "heap next time); trim threshold now %" PRIu64,
				      "mmap 阈值现在是 %" PRIu64 "，因为 free() 一个 %" PRIu64 " 字节的 mmap 块会把阈值抬高（原来 %" PRIu64
				      "；glibc 的动态阈值：下次这么大的块从堆里分配）；收缩阈值现在 %" PRIu64,
				      ev->b, chunk, thr0, h->trim_threshold);
		else
			event_because(log, ev,
				      "the chunk's header has the IS_MMAPPED bit: free() unmaps its %" PRIu64
				      " bytes at once; the mmap threshold stays %" PRIu64 " (only a larger chunk raises it)",
				      "块头里有 IS_MMAPPED 位：free() 立刻 munmap 它的 %" PRIu64 " 字节；mmap 阈值仍是 %" PRIu64
				      "（只有更大的块才会抬高它）",
				      chunk, h->mmap_threshold);
		break;
	default:
		break;
	}
}
