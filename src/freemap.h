/* freemap.h - a set of free indexes (frames) that finds the lowest in a few steps, however many there are.
 *
 * A bit per index, set when free, and above it summary levels of a bit per
 * 64-bit word below, set when that word has a free index: 4,194,304 frames
 * are 65,536 words, then 1,024, 16 and 1. The lowest free index is found
 * by going down from the top word, one count-trailing-zeros per level.
 */
#ifndef VMVIZ_FREEMAP_H
#define VMVIZ_FREEMAP_H

#include <stdbool.h>
#include <stdint.h>

#define FREEMAP_NONE UINT32_MAX
#define FREEMAP_LEVELS 6 /* 64^6 > 2^32 */

struct freemap {
	uint32_t n;                       /* indexes 0..n-1 */
	unsigned levels;
	uint64_t *bits[FREEMAP_LEVELS];   /* bits[0]: the indexes; bits[k]: words of bits[k-1] */
};

/* Returns 0, or -1 when out of memory. Every index starts taken. */
int freemap_init(struct freemap *m, uint32_t n);
void freemap_destroy(struct freemap *m);
/* Marks [lo, hi) free at once. */
void freemap_free_range(struct freemap *m, uint32_t lo, uint32_t hi);
void freemap_put(struct freemap *m, uint32_t i);   /* i is free */
void freemap_take(struct freemap *m, uint32_t i);  /* i is in use */
/* How many of [lo, hi) are free: a population count a word at a time. */
uint32_t freemap_count(const struct freemap *m, uint32_t lo, uint32_t hi);
/* The lowest free index, or FREEMAP_NONE. */
uint32_t freemap_lowest(const struct freemap *m);

#endif
