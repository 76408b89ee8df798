/* pagepool.h - host memory for the frames' bytes (and their reverse-map entries): blocks cut from 2 MiB slabs, reused through a free list.
 *
 * A machine writing to half a million pages would otherwise make half a
 * million allocations and as many host page faults; slabs of 2 MiB are
 * mapped at once, aligned so the host may back each with one huge page
 * (MADV_HUGEPAGE), and a freed block waits on a free list for the next
 * frame. Blocks come back zeroed. The slabs go back to the host only with
 * the pool (the machine).
 */
#ifndef VMVIZ_PAGEPOOL_H
#define VMVIZ_PAGEPOOL_H

#include <stddef.h>
#include <stdint.h>

struct pagepool {
	size_t block;          /* bytes per block (a simulated page; at least a pointer) */
	void *free;            /* freed blocks, each holding the next's address */
	uint8_t *cut;          /* the rest of the newest slab */
	size_t left;           /* bytes left there */
	void **slabs;          /* every slab, to unmap them */
	size_t nslabs, cap;
};

void pagepool_init(struct pagepool *p, size_t block);
/* A zeroed block, or NULL when the host is out of memory. */
void *pagepool_get(struct pagepool *p);
void pagepool_put(struct pagepool *p, void *block);
void pagepool_destroy(struct pagepool *p);

#endif
