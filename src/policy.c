/* policy.c - FIFO and LRU (one list, differing only on a hit) and the
 * dispatch shared with CLOCK (policy_clock.c). */
#include "policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const policy_names[POLICY_COUNT] = {"fifo", "lru", "clock"};

uint32_t clock_victim(struct policy *p, policy_accept_fn ok, void *ctx);
uint32_t clock_order(const struct policy *p, uint32_t *out, uint32_t max);

struct policy *policy_new(enum policy_kind kind, uint32_t nframes)
{
	struct policy *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->kind = kind;
	p->nframes = nframes;
	p->loaded = calloc(nframes ? nframes : 1, 1);
	p->ref = calloc(nframes ? nframes : 1, 1);
	p->prev = malloc(sizeof *p->prev * (nframes ? nframes : 1));
	p->next = malloc(sizeof *p->next * (nframes ? nframes : 1));
	p->stamp = calloc(nframes ? nframes : 1, sizeof *p->stamp);
	if (!p->loaded || !p->ref || !p->prev || !p->next || !p->stamp) {
		policy_free(p);
		return NULL;
	}
	/* Zeroed already: loaded and ref stay untouched (and cost the host
	 * nothing) until frames are used. */
	p->head = p->tail = POLICY_NONE;
	return p;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	free(p->loaded);
	free(p->ref);
	free(p->prev);
	free(p->next);
	free(p->stamp);
	free(p);
}

void policy_reset(struct policy *p)
{
	memset(p->loaded, 0, p->nframes);
	memset(p->ref, 0, p->nframes);
	p->head = p->tail = POLICY_NONE;
	p->hand = 0;
	p->count = 0;
	p->top = 0;
	p->tick = 0;
	memset(p->stamp, 0, p->nframes * sizeof *p->stamp);
}

static void list_unlink(struct policy *p, uint32_t f)
{
	if (p->prev[f] != POLICY_NONE)
		p->next[p->prev[f]] = p->next[f];
	else
		p->head = p->next[f];
	if (p->next[f] != POLICY_NONE)
		p->prev[p->next[f]] = p->prev[f];
	else
		p->tail = p->prev[f];
}

static void list_append(struct policy *p, uint32_t f)
{
	p->prev[f] = p->tail;
	p->next[f] = POLICY_NONE;
	if (p->tail != POLICY_NONE)
		p->next[p->tail] = f;
	else
		p->head = f;
	p->tail = f;
}

void policy_loaded(struct policy *p, uint32_t frame)
{
	if (p->loaded[frame])
		list_unlink(p, frame);
	else
		p->count++;
	p->loaded[frame] = 1;
	p->ref[frame] = 1;
	p->stamp[frame] = ++p->tick;
	list_append(p, frame);
	if (frame >= p->top)
		p->top = frame + 1;
}

void policy_hit(struct policy *p, uint32_t frame)
{
	if (!p->loaded[frame])
		return;
	p->ref[frame] = 1;
	++p->tick;
	if (p->kind != POLICY_FIFO)
		p->stamp[frame] = p->tick;
	if (p->kind == POLICY_LRU && p->tail != frame) {
		list_unlink(p, frame);
		list_append(p, frame);
	}
}

void policy_unloaded(struct policy *p, uint32_t frame)
{
	if (!p->loaded[frame])
		return;
	list_unlink(p, frame);
	p->loaded[frame] = 0;
	p->ref[frame] = 0;
	p->count--;
}

uint32_t policy_victim(struct policy *p, policy_accept_fn ok, void *ctx)
{
	p->sweep.from = p->kind == POLICY_CLOCK ? p->hand : p->head;
	p->sweep.cleared = 0;
	p->sweep.skipped = 0;
	if (p->kind == POLICY_CLOCK)
		return clock_victim(p, ok, ctx);
	for (uint32_t f = p->head; f != POLICY_NONE; f = p->next[f]) {
		if (!ok || ok(ctx, f))
			return f;
		p->sweep.skipped++;
	}
	return POLICY_NONE;
}

uint32_t policy_order(const struct policy *p, uint32_t *out, uint32_t max)
{
	if (p->kind == POLICY_CLOCK)
		return clock_order(p, out, max);
	uint32_t n = 0;
	for (uint32_t f = p->head; f != POLICY_NONE && n < max; f = p->next[f])
		out[n++] = f;
	return n;
}

bool policy_refbit(const struct policy *p, uint32_t frame)
{
	return frame < p->nframes && p->ref[frame];
}

const char *policy_name(enum policy_kind kind)
{
	return (unsigned)kind < POLICY_COUNT ? policy_names[kind] : "?";
}

bool policy_parse(const char *name, enum policy_kind *out)
{
	for (int k = 0; k < POLICY_COUNT; k++) {
		if (strcasecmp(name, policy_names[k]) == 0) {
			*out = (enum policy_kind)k;
			return true;
		}
	}
	return false;
}
