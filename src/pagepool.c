/* pagepool.c - blocks from slabs that double up to 2 MiB (see pagepool.h). */
#include "pagepool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SLAB_FIRST (64u << 10)
#define SLAB_MAX (2u << 20)

void pagepool_init(struct pagepool *p, size_t block)
{
	memset(p, 0, sizeof *p);
	p->block = block;
}

/* A fresh slab of n bytes, backed at once: one call instead of a host page
 * fault for each block. (Not huge pages: their compaction stalled runs for
 * seconds at times.) */
static uint8_t *slab_new(size_t n)
{
	uint8_t *slab = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (slab == MAP_FAILED)
		return NULL;
#ifdef MADV_POPULATE_WRITE
	madvise(slab, n, MADV_POPULATE_WRITE); /* a hint: fine if refused (before Linux 5.14) */
#endif
	return slab;
}

/* The size of slab number i: small machines stay small, big ones soon
 * get 2 MiB at a time (and always room for a block). */
static size_t slab_size(const struct pagepool *p, size_t i)
{
	size_t n = SLAB_FIRST;
	while (i-- > 0 && n < SLAB_MAX)
		n *= 2;
	return n >= p->block ? n : p->block;
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
		size_t n = slab_size(p, p->nslabs);
		uint8_t *slab = slab_new(n);
		if (!slab)
			return NULL;
		p->slabs[p->nslabs++] = slab;
		p->cut = slab;
		p->left = n;
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

size_t pagepool_bytes(const struct pagepool *p)
{
	size_t sum = 0;
	for (size_t i = 0; i < p->nslabs; i++)
		sum += slab_size(p, i);
	return sum;
}

void pagepool_destroy(struct pagepool *p)
{
	for (size_t i = 0; i < p->nslabs; i++)
		munmap(p->slabs[i], slab_size(p, i));
	free(p->slabs);
	memset(p, 0, sizeof *p);
}
