/* refstring.c - a lecture's reference string, replayed step by step by the
 * trace simulator (trace_sim.c): no second simulator. */
#include "refstring.h"

#include <stdlib.h>
#include <string.h>

/* Replays rs->t under policy into fresh arrays; swaps them in only when the
 * replay worked, so a failure leaves rs as it was. */
static int replay(struct refstring *rs, enum trace_policy policy)
{
	uint32_t n = rs->t.count;
	struct trace_step *steps = calloc(n, sizeof *steps);
	uint64_t *contents = calloc((size_t)n * rs->frames, sizeof *contents);
	struct trace_run run;
	if (!steps || !contents || !trace_replay_steps(&rs->t, policy, rs->frames, n, steps, contents, &run)) {
		free(steps);
		free(contents);
		return -1;
	}
	free(rs->steps);
	free(rs->contents);
	rs->steps = steps;
	rs->contents = contents;
	rs->policy = policy;
	return 0;
}

void refstring_clear(struct refstring *rs)
{
	trace_free(&rs->t);
	free(rs->steps);
	free(rs->contents);
	memset(rs, 0, sizeof *rs);
}

int refstring_start(struct refstring *rs, int pid, uint64_t base, uint64_t page_size, uint32_t frames,
		    enum trace_policy policy, const uint32_t *pages, uint32_t n)
{
	refstring_clear(rs);
	if (n == 0 || n > REFSTRING_MAX || frames == 0 || frames > REFSTRING_MAX_FRAMES)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		if (pages[i] == 0 || pages[i] > REFSTRING_MAX || !trace_append(&rs->t, pages[i])) {
			refstring_clear(rs);
			return -1;
		}
		if (pages[i] > rs->npages)
			rs->npages = pages[i];
	}
	rs->pid = pid;
	rs->base = base;
	rs->page_size = page_size;
	rs->frames = frames;
	if (!trace_prepare(&rs->t) || replay(rs, policy) < 0) {
		refstring_clear(rs);
		return -1;
	}
	rs->active = true;
	return 0;
}

int refstring_append(struct refstring *rs, const uint32_t *pages, uint32_t n)
{
	if (!rs->active || n > REFSTRING_MAX - rs->t.count)
		return -1;
	uint32_t old_count = rs->t.count, old_npages = rs->npages;
	for (uint32_t i = 0; i < n; i++) {
		if (pages[i] == 0 || pages[i] > REFSTRING_MAX || !trace_append(&rs->t, pages[i]))
			goto undo;
		if (pages[i] > rs->npages)
			rs->npages = pages[i];
	}
	if (!trace_prepare(&rs->t) || replay(rs, rs->policy) < 0)
		goto undo;
	return 0;
undo:
	rs->t.count = old_count;
	rs->npages = old_npages;
	/* next_use of the old accesses may point past the end now: recompute
	 * (fewer pages than before, so it only fails when memory is gone). */
	if (!trace_prepare(&rs->t))
		refstring_clear(rs);
	return -1;
}

int refstring_set_policy(struct refstring *rs, enum trace_policy policy)
{
	return rs->active ? replay(rs, policy) : -1;
}

uint32_t refstring_faults(const struct refstring *rs, uint32_t n)
{
	uint32_t faults = 0;
	for (uint32_t i = 0; rs->active && i < n && i < rs->t.count; i++)
		faults += rs->steps[i].fault;
	return faults;
}

uint32_t refstring_page(const struct refstring *rs, uint32_t i)
{
	return i < rs->t.count ? (uint32_t)rs->t.pages[i] : 0;
}

uint64_t refstring_addr(const struct refstring *rs, uint32_t page)
{
	return rs->base + (uint64_t)(page - 1) * rs->page_size;
}
