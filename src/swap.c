/* swap.c - the swap store: slots that keep evicted pages' bytes. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int swap_init(struct swap *s, uint32_t nslots)
{
	memset(s, 0, sizeof *s);
	s->nslots = nslots;
	size_t n = nslots ? nslots : 1;
	s->count = calloc(n, sizeof *s->count);
	s->data = calloc(n, sizeof *s->data);
	s->cache = malloc(n * sizeof *s->cache);
	s->owner = calloc(n, sizeof *s->owner);
	s->owner_vpn = calloc(n, sizeof *s->owner_vpn);
	if (!s->count || !s->data || !s->cache || !s->owner || !s->owner_vpn)
		return -1;
	for (size_t i = 0; i < n; i++)
		s->cache[i] = -1;
	return 0;
}

void swap_destroy(struct swap *s)
{
	if (s->data)
		for (uint32_t i = 0; i < s->nslots; i++)
			free(s->data[i]);
	free(s->count);
	free(s->data);
	free(s->cache);
	free(s->owner);
	free(s->owner_vpn);
	memset(s, 0, sizeof *s);
}

int64_t swap_alloc(struct swap *s)
{
	for (uint32_t i = s->hint; i < s->nslots; i++) {
		if (s->count[i] == 0 && !s->data[i]) {
			s->hint = i + 1;
			return i;
		}
	}
	return -1;
}

int swap_store(struct swap *s, uint32_t slot, const uint8_t *bytes, uint64_t page_size)
{
	if (!s->data[slot] && !(s->data[slot] = malloc(page_size)))
		return -1;
	memcpy(s->data[slot], bytes, page_size);
	return 0;
}

void swap_put(struct vm *vm, uint32_t slot)
{
	struct swap *s = &vm->swap;
	if (s->count[slot] == 0 || --s->count[slot] > 0)
		return;
	free(s->data[slot]);
	s->data[slot] = NULL;
	s->used--;
	if (s->cache[slot] >= 0)
		vm->frames[s->cache[slot]].swap_slot = -1;
	s->cache[slot] = -1;
	s->owner[slot] = 0;
	if (slot < s->hint)
		s->hint = slot;
}
