/* pagepool.c - page-sized blocks from 2 MiB slabs (see pagepool.h). */
#include "pagepool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SLAB (2u << 20)

void pagepool_init(struct pagepool *p, size_t block)
{
	memset(p, 0, sizeof *p);
	p->block = block;
}

/* A fresh slab, SLAB-aligned: map twice the size, unmap the ends. */
static uint8_t *slab_new(void)
{
	uint8_t *raw = mmap(NULL, 2 * SLAB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	uintptr_t start = ((uintptr_t)raw + SLAB - 1) & ~(uintptr_t)(SLAB - 1);
	uint8_t *slab = (uint8_t *)start;
	if (slab > raw)
		munmap(raw, (size_t)(slab - raw));
	munmap(slab + SLAB, (size_t)(raw + 2 * SLAB - (slab + SLAB)));
	/* One call backs the whole slab: far cheaper than a host page
	 * fault for each block. (Not huge pages: their compaction stalls
	 * for seconds at times.) */
#ifdef MADV_POPULATE_WRITE
	madvise(slab, SLAB, MADV_POPULATE_WRITE); /* a hint: fine if refused (before Linux 5.14) */
#endif
	return slab;
}

void *pagepool_get(struct pagepool *p)
{
	if (p->free) {
		void *b = p->free;
		memcpy(&p->free, b, sizeof p->free);
		memset(b, 0, p->block);
		return b;
	}
	if (p->left < p->block) {
		if (p->nslabs == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 16;
			void **grown = realloc(p->slabs, cap * sizeof *grown);
			if (!grown)
				return NULL;
			p->slabs = grown;
			p->cap = cap;
		}
		uint8_t *slab = slab_new();
		if (!slab)
			return NULL;
		p->slabs[p->nslabs++] = slab;
		p->cut = slab;
		p->left = SLAB;
	}
	void *b = p->cut; /* fresh from the host: zero already */
	p->cut += p->block;
	p->left -= p->block;
	return b;
}

void pagepool_put(struct pagepool *p, void *block)
{
	memcpy(block, &p->free, sizeof p->free);
	p->free = block;
}

void pagepool_destroy(struct pagepool *p)
{
	for (size_t i = 0; i < p->nslabs; i++)
		munmap(p->slabs[i], SLAB);
	free(p->slabs);
	memset(p, 0, sizeof *p);
}
