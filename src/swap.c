/* swap.c - the swap store: slots that keep evicted pages' bytes.
 *
 * A slot's bytes are stored whole, or, when the page is mostly zero (the
 * common case for freshly touched memory), as its non-zero 8-byte words:
 *   u32 n | n x u16 word index | n x u64 word       (n == FULL: the page)
 * so swapping out a gigabyte of touched pages does not cost a gigabyte.
 *
 * A slot lives while PTEs hold it (count) or a resident frame still has the
 * same bytes (the swap cache, as Linux's): a page swapped in by a read and
 * evicted again unchanged needs no second write, and a page shared by
 * several processes comes back into one frame for all of them.
 */
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
	if (!s->count || !s->data || !s->cache || !s->owner || !s->owner_vpn || freemap_init(&s->free_map, nslots) < 0)
		return -1;
	freemap_free_range(&s->free_map, 0, nslots);
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
	freemap_destroy(&s->free_map);
	memset(s, 0, sizeof *s);
}

int64_t swap_alloc(struct swap *s)
{
	/* The slot is the caller's from here: it stores the bytes at once. */
	uint32_t i = freemap_lowest(&s->free_map);
	if (i == FREEMAP_NONE)
		return -1;
	freemap_take(&s->free_map, i);
	return i;
}

#define FULL UINT32_MAX

int swap_store(struct swap *s, uint32_t slot, const uint8_t *bytes, uint64_t page_size)
{
	uint32_t words = (uint32_t)(page_size / 8), n = 0;
	for (uint32_t i = 0; i < words; i++) {
		uint64_t w;
		memcpy(&w, bytes + 8 * i, 8);
		n += w != 0;
	}
	size_t sparse = 4 + (size_t)n * 10, size = sparse < page_size / 2 ? sparse : 4 + page_size;
	uint8_t *blob = malloc(size);
	if (!blob)
		return -1;
	if (size == sparse) {
		memcpy(blob, &n, 4);
		uint8_t *idx = blob + 4, *val = blob + 4 + (size_t)n * 2;
		for (uint32_t i = 0, k = 0; i < words; i++) {
			uint64_t w;
			memcpy(&w, bytes + 8 * i, 8);
			if (!w)
				continue;
			uint16_t i16 = (uint16_t)i;
			memcpy(idx + 2 * k, &i16, 2);
			memcpy(val + 8 * k, &w, 8);
			k++;
		}
	} else {
		uint32_t full = FULL;
		memcpy(blob, &full, 4);
		memcpy(blob + 4, bytes, page_size);
	}
	free(s->data[slot]);
	s->data[slot] = blob;
	return 0;
}

void swap_load(const struct swap *s, uint32_t slot, uint8_t *out, uint64_t page_size)
{
	const uint8_t *blob = s->data[slot];
	uint32_t n;
	memcpy(&n, blob, 4);
	if (n == FULL) {
		memcpy(out, blob + 4, page_size);
		return;
	}
	memset(out, 0, page_size);
	const uint8_t *idx = blob + 4, *val = blob + 4 + (size_t)n * 2;
	for (uint32_t k = 0; k < n; k++) {
		uint16_t i;
		memcpy(&i, idx + 2 * k, 2);
		memcpy(out + 8 * (size_t)i, val + 8 * k, 8);
	}
}

void swap_load_frame(struct vm *vm, uint32_t slot, uint32_t pfn)
{
	uint32_t n;
	memcpy(&n, vm->swap.data[slot], 4);
	if (n == 0)
		frame_zero(vm, pfn); /* an all-zero page stays without bytes */
	else
		swap_load(&vm->swap, slot, frame_write(vm, pfn), vm->arch.page_size);
}

uint8_t swap_byte(const struct swap *s, uint32_t slot, uint64_t offset)
{
	const uint8_t *blob = s->data[slot];
	uint32_t n;
	memcpy(&n, blob, 4);
	if (n == FULL)
		return blob[4 + offset];
	const uint8_t *idx = blob + 4, *val = blob + 4 + (size_t)n * 2;
	for (uint32_t k = 0; k < n; k++) {
		uint16_t i;
		memcpy(&i, idx + 2 * k, 2);
		if (i == offset / 8)
			return val[8 * k + offset % 8];
	}
	return 0;
}

/* Frees a slot nobody holds any more: no PTE, no swap-cache frame. */
static void slot_free(struct vm *vm, uint32_t slot)
{
	struct swap *s = &vm->swap;
	free(s->data[slot]);
	s->data[slot] = NULL;
	s->used--;
	s->owner[slot] = 0;
	freemap_put(&s->free_map, slot);
}

void swap_put(struct vm *vm, uint32_t slot)
{
	struct swap *s = &vm->swap;
	if (s->count[slot] == 0 || --s->count[slot] > 0)
		return;
	if (s->cache[slot] < 0)
		slot_free(vm, slot);
}

void swap_uncache(struct vm *vm, uint32_t slot)
{
	struct swap *s = &vm->swap;
	int32_t f = s->cache[slot];
	if (f < 0)
		return;
	vm->frames[f].swap_slot = -1;
	s->cache[slot] = -1;
	if (s->count[slot] == 0)
		slot_free(vm, slot);
}

int64_t swap_alloc_or_steal(struct vm *vm)
{
	int64_t slot = swap_alloc(&vm->swap);
	if (slot >= 0)
		return slot;
	/* Swap is full: take a slot that only backs a resident page (the
	 * page becomes dirty again, as it has no copy on disk any more). */
	for (uint32_t i = 0; i < vm->swap.nslots; i++) {
		int32_t f = vm->swap.cache[i];
		if (vm->swap.count[i] == 0 && f >= 0) {
			vm->frames[f].dirty = 1;
			swap_uncache(vm, i);
			return swap_alloc(&vm->swap);
		}
	}
	return -1;
}

bool swap_has_room(const struct vm *vm)
{
	if (vm->swap.used < vm->swap.nslots)
		return true;
	for (uint32_t i = 0; i < vm->swap.nslots; i++)
		if (vm->swap.count[i] == 0 && vm->swap.cache[i] >= 0)
			return true;
	return false;
}
