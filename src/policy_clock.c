/* policy_clock.c - the CLOCK (second chance) sweep, exactly as SPEC.md says.
 *
 * 1. Start at the hand.
 * 2. A frame without a page is passed over.
 * 3. A set reference bit is cleared and the hand advances.
 * 4. A clear bit on an acceptable frame is the victim; the hand moves one
 *    past it, since the new page is loaded where the victim was.
 * Two full turns without a victim means nothing is acceptable.
 */
#include "policy.h"

uint32_t clock_victim(struct policy *p, policy_accept_fn ok, void *ctx);
uint32_t clock_order(const struct policy *p, uint32_t *out, uint32_t max);

uint32_t clock_victim(struct policy *p, policy_accept_fn ok, void *ctx)
{
	if (p->count == 0 || p->nframes == 0)
		return POLICY_NONE;
	uint64_t limit = 2ull * p->nframes + 1;
	for (uint64_t step = 0; step < limit; step++) {
		uint32_t f = p->hand;
		p->hand = f + 1 == p->nframes ? p->base : f + 1;
		if (!p->loaded[f])
			continue;
		if (p->ref[f]) {
			p->ref[f] = 0;
			if (p->sweep.cleared < POLICY_SWEEP_SHOW)
				p->sweep.list[p->sweep.cleared] = f;
			p->sweep.cleared++;
			if (p->on_clear)
				p->on_clear(p->on_clear_ctx, f);
			continue;
		}
		if (!ok || ok(ctx, f))
			return f;
		p->sweep.skipped++;
	}
	return POLICY_NONE;
}

uint32_t clock_order(const struct policy *p, uint32_t *out, uint32_t max)
{
	/* Frames from top up hold nothing: a big machine with few pages in
	 * use costs what it uses. */
	uint32_t n = 0, end = p->top > p->base ? p->top : p->base, span = end - p->base;
	uint32_t start = p->hand < end ? p->hand - p->base : 0;
	for (uint32_t i = 0; i < span && n < max && n < p->count; i++) {
		uint32_t f = p->base + (start + i) % span;
		if (p->loaded[f])
			out[n++] = f;
	}
	return n;
}
