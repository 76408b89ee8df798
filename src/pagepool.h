/* pagepool.h - host memory for the frames' bytes (and their reverse-map entries): blocks cut from slabs, reused through a free list.
 *
 * A machine writing to half a million pages would otherwise make half a
 * million allocations and as many host page faults; a slab is mapped and
 * backed in one call, 64 KiB at first and doubling up to 2 MiB (a small
 * machine stays small), and a freed block waits on a free list for the
 * next frame. Blocks come back zeroed. The slabs go back to the host only
 * with the pool (the machine).
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
/* Bytes of slabs taken from the host. */
size_t pagepool_bytes(const struct pagepool *p);
void pagepool_destroy(struct pagepool *p);

#endif
