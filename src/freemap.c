/* freemap.c - the lowest free frame in a few steps (see freemap.h). */
#include "freemap.h"

#include <stdlib.h>
#include <string.h>

static uint32_t words_for(uint32_t bits)
{
	return bits / 64 + (bits % 64 != 0);
}

int freemap_init(struct freemap *m, uint32_t n)
{
	memset(m, 0, sizeof *m);
	m->n = n;
	uint32_t bits = n ? n : 1;
	do {
		uint32_t words = words_for(bits);
		m->bits[m->levels] = calloc(words, sizeof(uint64_t));
		if (!m->bits[m->levels]) {
			freemap_destroy(m);
			return -1;
		}
		m->levels++;
		bits = words;
	} while (bits > 1);
	return 0;
}

void freemap_destroy(struct freemap *m)
{
	for (unsigned k = 0; k < FREEMAP_LEVELS; k++)
		free(m->bits[k]);
	memset(m, 0, sizeof *m);
}

void freemap_put(struct freemap *m, uint32_t i)
{
	for (unsigned k = 0; k < m->levels; k++, i /= 64) {
		uint64_t *w = &m->bits[k][i / 64];
		bool had = *w != 0;
		*w |= 1ull << (i % 64);
		if (had)
			return; /* the levels above know this word has a free index */
	}
}

void freemap_take(struct freemap *m, uint32_t i)
{
	for (unsigned k = 0; k < m->levels; k++, i /= 64) {
		uint64_t *w = &m->bits[k][i / 64];
		*w &= ~(1ull << (i % 64));
		if (*w)
			return; /* others in this word are still free */
	}
}

void freemap_free_range(struct freemap *m, uint32_t lo, uint32_t hi)
{
	/* Whole words at once in the bottom level, then every summary again. */
	for (uint32_t i = lo; i < hi;) {
		if (i % 64 == 0 && hi - i >= 64) {
			m->bits[0][i / 64] = ~0ull;
			i += 64;
		} else {
			m->bits[0][i / 64] |= 1ull << (i % 64);
			i++;
		}
	}
	uint32_t below = words_for(m->n ? m->n : 1);
	for (unsigned k = 1; k < m->levels; k++) {
		for (uint32_t w = 0; w < below; w++)
			if (m->bits[k - 1][w])
				m->bits[k][w / 64] |= 1ull << (w % 64);
		below = words_for(below);
	}
}

uint32_t freemap_lowest(const struct freemap *m)
{
	uint32_t i = 0;
	for (unsigned k = m->levels; k-- > 0;) {
		uint64_t w = m->bits[k][i];
		if (!w)
			return FREEMAP_NONE; /* only the top word can be empty here */
		i = i * 64 + (uint32_t)__builtin_ctzll(w);
	}
	return i < m->n ? i : FREEMAP_NONE;
}

uint32_t freemap_count(const struct freemap *m, uint32_t lo, uint32_t hi)
{
	uint32_t n = 0;
	if (hi > m->n)
		hi = m->n;
	while (lo < hi) {
		uint64_t w = m->bits[0][lo / 64] >> (lo % 64);
		uint32_t take = 64 - lo % 64;
		if (take > hi - lo) {
			take = hi - lo;
			w &= (1ull << take) - 1;
		}
		n += (uint32_t)__builtin_popcountll(w);
		lo += take;
	}
	return n;
}
