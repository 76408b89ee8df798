/* trace_sim.c - replays a trace's page numbers on N frames under FIFO, LRU, CLOCK or OPT.
 *
 * FIFO, LRU and CLOCK are the shared policy module (policy.h): free frames
 * fill in index order, and the policy picks a victim only when none is free.
 * OPT (Belady) evicts the page whose next use is farthest away:
 *   1. trace_prepare() walks the trace backwards once, remembering for each
 *      page the last index seen, which gives next_use[i] = the index of the
 *      next access to the same page (TRACE_NEVER if none).
 *   2. The replay keeps the resident frames in a max-heap keyed by the next
 *      use of the page they hold. A hit raises its frame's key (sift up);
 *      a fault with no free frame evicts the top and re-keys it (sift down).
 * Pages never used again all tie at TRACE_NEVER; which of them goes first
 * does not change the fault count.
 *
 * Which frame holds a page is found in a page_map: open addressing, linear
 * probing, keyed by page number. The replay's map holds only resident pages
 * (deletion by backward shift, so no tombstones), so its memory is O(frames)
 * whatever the number of distinct pages.
 */
#include "trace.h"

#include "policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAP_EMPTY UINT32_MAX
#define MAP_MIN_SLOTS 16u

/* page number -> uint32 value. Keys and values in two arrays: 12 bytes a
 * slot, so a growing map stays under 32 bytes per page at 3/4 load. */
struct page_map {
	uint64_t *keys;
	uint32_t *vals;  /* MAP_EMPTY marks a free slot */
	size_t mask;     /* slots - 1, slots a power of two */
	unsigned shift;  /* 64 - log2(slots), for Fibonacci hashing */
	size_t used;
};

static size_t map_bytes(size_t slots)
{
	return slots * (sizeof(uint64_t) + sizeof(uint32_t));
}

static bool map_init(struct page_map *m, size_t min_slots)
{
	size_t slots = MAP_MIN_SLOTS;
	unsigned bits = 4;
	while (slots < min_slots) {
		slots <<= 1;
		bits++;
	}
	m->keys = malloc(slots * sizeof *m->keys);
	m->vals = malloc(slots * sizeof *m->vals);
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		return false;
	}
	memset(m->vals, 0xff, slots * sizeof *m->vals);
	m->mask = slots - 1;
	m->shift = 64 - bits;
	m->used = 0;
	return true;
}

static void map_free(struct page_map *m)
{
	free(m->keys);
	free(m->vals);
}

/* Fibonacci hashing spreads consecutive page numbers over the whole table. */
static inline size_t map_home(const struct page_map *m, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> m->shift);
}

/* The slot holding key, or the free slot where it would go. */
static inline size_t map_slot(const struct page_map *m, uint64_t key)
{
	size_t i = map_home(m, key);
	while (m->vals[i] != MAP_EMPTY && m->keys[i] != key)
		i = (i + 1) & m->mask;
	return i;
}

static inline uint32_t map_get(const struct page_map *m, uint64_t key)
{
	return m->vals[map_slot(m, key)];
}

/* Inserts a key known to be absent; the caller keeps the load below 1. */
static inline void map_put_new(struct page_map *m, uint64_t key, uint32_t val)
{
	size_t i = map_slot(m, key);
	m->keys[i] = key;
	m->vals[i] = val;
	m->used++;
}

/* Removes key (which must be present) and shifts later entries of its probe
 * run back, so every entry stays reachable from its home slot. */
static void map_remove(struct page_map *m, uint64_t key)
{
	size_t hole = map_slot(m, key);
	size_t i = hole;
	for (;;) {
		i = (i + 1) & m->mask;
		if (m->vals[i] == MAP_EMPTY)
			break;
		size_t home = map_home(m, m->keys[i]);
		/* Entry i may fill the hole only if its home is not in (hole, i]. */
		bool home_between = hole <= i ? (home > hole && home <= i)
					      : (home > hole || home <= i);
		if (!home_between) {
			m->keys[hole] = m->keys[i];
			m->vals[hole] = m->vals[i];
			hole = i;
		}
	}
	m->vals[hole] = MAP_EMPTY;
	m->used--;
}

/* Doubles the slots. Returns false (map unchanged) when out of memory. */
static bool map_grow(struct page_map *m)
{
	struct page_map bigger;
	if (!map_init(&bigger, (m->mask + 1) * 2))
		return false;
	for (size_t i = 0; i <= m->mask; i++)
		if (m->vals[i] != MAP_EMPTY)
			map_put_new(&bigger, m->keys[i], m->vals[i]);
	map_free(m);
	*m = bigger;
	return true;
}

bool trace_append(struct trace *t, uint64_t page)
{
	if (t->count == t->cap) {
		if (t->cap >= TRACE_MAX_ACCESSES)
			return false;
		uint64_t want = t->cap ? 2ull * t->cap : 4096;
		uint32_t cap = want > TRACE_MAX_ACCESSES ? TRACE_MAX_ACCESSES : (uint32_t)want;
		uint64_t *grown = realloc(t->pages, (size_t)cap * sizeof *grown);
		if (!grown)
			return false;
		t->pages = grown;
		t->cap = cap;
	}
	t->pages[t->count++] = page;
	t->prepared = false;
	return true;
}

bool trace_prepare(struct trace *t)
{
	uint32_t *next = malloc(((size_t)t->count + 1) * sizeof *next);
	struct page_map last_seen;
	if (!next || !map_init(&last_seen, MAP_MIN_SLOTS)) {
		free(next);
		return false;
	}
	size_t peak = 0;
	for (uint32_t i = t->count; i-- > 0;) {
		if (4 * (last_seen.used + 1) > 3 * (last_seen.mask + 1)) {
			size_t slots = last_seen.mask + 1;
			if (map_bytes(slots) * 3 > peak)
				peak = map_bytes(slots) * 3; /* old + doubled, during the copy */
			if (!map_grow(&last_seen)) {
				map_free(&last_seen);
				free(next);
				return false;
			}
		}
		size_t s = map_slot(&last_seen, t->pages[i]);
		if (last_seen.vals[s] == MAP_EMPTY) {
			next[i] = TRACE_NEVER;
			last_seen.keys[s] = t->pages[i];
			last_seen.used++;
		} else {
			next[i] = last_seen.vals[s];
		}
		last_seen.vals[s] = i;
	}
	if (map_bytes(last_seen.mask + 1) > peak)
		peak = map_bytes(last_seen.mask + 1);
	free(t->next_use);
	t->next_use = next;
	t->distinct = (uint32_t)last_seen.used;
	t->prepare_bytes = peak;
	t->prepared = true;
	map_free(&last_seen);
	return true;
}

void trace_free(struct trace *t)
{
	free(t->pages);
	free(t->next_use);
	memset(t, 0, sizeof *t);
}

/* The frames and the map of which page each holds, shared by every policy. */
struct residency {
	struct page_map where;  /* resident page -> frame */
	uint64_t *page_in;      /* frame -> page it holds */
	uint32_t nframes;
	uint32_t used;          /* frames 0..used-1 hold pages; the rest are free */
};

static bool residency_init(struct residency *r, uint32_t nframes)
{
	r->page_in = malloc((size_t)nframes * sizeof *r->page_in);
	/* At most a quarter full. Recently loaded pages, the ones a trace with
	 * locality touches most, sit at the ends of probe runs, so run length
	 * is what a hit costs: at 1/2 load the replay ran 25-60% slower. */
	if (!r->page_in || !map_init(&r->where, 4 * (size_t)nframes)) {
		free(r->page_in);
		return false;
	}
	r->nframes = nframes;
	r->used = 0;
	return true;
}

static void residency_free(struct residency *r)
{
	map_free(&r->where);
	free(r->page_in);
}

static size_t residency_bytes(const struct residency *r)
{
	return map_bytes(r->where.mask + 1) + (size_t)r->nframes * sizeof *r->page_in;
}

/* Puts page in frame, dropping whatever page the frame held before. */
static inline void residency_load(struct residency *r, uint32_t frame, uint64_t page, bool evicting)
{
	if (evicting)
		map_remove(&r->where, r->page_in[frame]);
	r->page_in[frame] = page;
	map_put_new(&r->where, page, frame);
}

/* Where a stepped replay writes each access's outcome (NULL: not stepping). */
struct step_recorder {
	uint32_t steps;              /* accesses to record */
	struct trace_step *out;      /* [steps] */
	uint64_t *frames_after;      /* [steps * nframes]: each frame's page after the access */
};

static void record_step(const struct step_recorder *rec, const struct residency *r, uint32_t i, bool fault,
			uint64_t evicted)
{
	rec->out[i].fault = fault;
	rec->out[i].evicted = evicted;
	uint64_t *row = rec->frames_after + (size_t)i * r->nframes;
	for (uint32_t f = 0; f < r->nframes; f++)
		row[f] = f < r->used ? r->page_in[f] : TRACE_NO_PAGE;
}

static const enum policy_kind shared_kind[] = {
	[TRACE_FIFO] = POLICY_FIFO, [TRACE_LRU] = POLICY_LRU, [TRACE_CLOCK] = POLICY_CLOCK,
};

static bool replay_shared(const struct trace *t, enum policy_kind kind, uint32_t nframes,
			  struct trace_run *out, const struct step_recorder *rec)
{
	struct residency r;
	if (!residency_init(&r, nframes))
		return false;
	struct policy *p = policy_new(kind, nframes);
	if (!p) {
		residency_free(&r);
		return false;
	}
	uint64_t faults = 0;
	uint32_t count = rec ? rec->steps : t->count;
	for (uint32_t i = 0; i < count; i++) {
		uint64_t page = t->pages[i];
		uint32_t frame = map_get(&r.where, page);
		if (frame != MAP_EMPTY) {
			policy_hit(p, frame);
			if (rec)
				record_step(rec, &r, i, false, TRACE_NO_PAGE);
			continue;
		}
		faults++;
		bool evicting = r.used == nframes;
		uint64_t evicted = TRACE_NO_PAGE;
		if (evicting) {
			frame = policy_victim(p, NULL, NULL);
			policy_unloaded(p, frame);
			evicted = r.page_in[frame];
		} else {
			frame = r.used++;
		}
		residency_load(&r, frame, page, evicting);
		policy_loaded(p, frame);
		if (rec)
			record_step(rec, &r, i, true, evicted);
	}
	out->faults = faults;
	out->bytes = residency_bytes(&r) + sizeof *p +
		     (size_t)nframes * (2 * sizeof(uint8_t) + 2 * sizeof(uint32_t));
	policy_free(p);
	residency_free(&r);
	return true;
}

/* Resident frames ordered by the next use of their page, farthest on top. */
struct opt_heap {
	uint32_t *frame_at;  /* heap slot -> frame */
	uint32_t *slot_of;   /* frame -> heap slot */
	uint32_t *next_use;  /* frame -> index of its page's next access */
	uint32_t size;
};

static inline void heap_place(struct opt_heap *h, uint32_t slot, uint32_t frame)
{
	h->frame_at[slot] = frame;
	h->slot_of[frame] = slot;
}

static inline void heap_sift_up(struct opt_heap *h, uint32_t slot)
{
	uint32_t frame = h->frame_at[slot];
	uint32_t key = h->next_use[frame];
	while (slot > 0) {
		uint32_t parent = (slot - 1) / 2;
		if (h->next_use[h->frame_at[parent]] >= key)
			break;
		heap_place(h, slot, h->frame_at[parent]);
		slot = parent;
	}
	heap_place(h, slot, frame);
}

static inline void heap_sift_down(struct opt_heap *h, uint32_t slot)
{
	uint32_t frame = h->frame_at[slot];
	uint32_t key = h->next_use[frame];
	for (;;) {
		uint32_t child = 2 * slot + 1;
		if (child >= h->size)
			break;
		if (child + 1 < h->size &&
		    h->next_use[h->frame_at[child + 1]] > h->next_use[h->frame_at[child]])
			child++;
		if (h->next_use[h->frame_at[child]] <= key)
			break;
		heap_place(h, slot, h->frame_at[child]);
		slot = child;
	}
	heap_place(h, slot, frame);
}

static bool replay_opt(const struct trace *t, uint32_t nframes, struct trace_run *out,
		       const struct step_recorder *rec)
{
	struct residency r;
	if (!residency_init(&r, nframes))
		return false;
	struct opt_heap h = {
		.frame_at = malloc((size_t)nframes * sizeof(uint32_t)),
		.slot_of = malloc((size_t)nframes * sizeof(uint32_t)),
		.next_use = malloc((size_t)nframes * sizeof(uint32_t)),
	};
	bool ok = h.frame_at && h.slot_of && h.next_use;
	uint64_t faults = 0;
	uint32_t count = rec ? rec->steps : t->count;
	for (uint32_t i = 0; ok && i < count; i++) {
		uint64_t page = t->pages[i];
		uint32_t frame = map_get(&r.where, page);
		if (frame != MAP_EMPTY) {
			h.next_use[frame] = t->next_use[i]; /* later than i: only rises */
			heap_sift_up(&h, h.slot_of[frame]);
			if (rec)
				record_step(rec, &r, i, false, TRACE_NO_PAGE);
			continue;
		}
		faults++;
		uint64_t evicted = TRACE_NO_PAGE;
		if (r.used < nframes) {
			frame = r.used++;
			residency_load(&r, frame, page, false);
			h.next_use[frame] = t->next_use[i];
			heap_place(&h, h.size++, frame);
			heap_sift_up(&h, h.size - 1);
		} else {
			frame = h.frame_at[0];
			evicted = r.page_in[frame];
			residency_load(&r, frame, page, true);
			h.next_use[frame] = t->next_use[i];
			heap_sift_down(&h, 0);
		}
		if (rec)
			record_step(rec, &r, i, true, evicted);
	}
	out->faults = faults;
	out->bytes = residency_bytes(&r) + 3 * (size_t)nframes * sizeof(uint32_t);
	free(h.frame_at);
	free(h.slot_of);
	free(h.next_use);
	residency_free(&r);
	return ok;
}

bool trace_replay(const struct trace *t, enum trace_policy policy, uint32_t nframes,
		  struct trace_run *out)
{
	if (nframes == 0 || (unsigned)policy >= TRACE_POLICY_COUNT)
		return false;
	/* More frames than pages changes nothing: every page faults once. */
	if (t->prepared && nframes > t->distinct)
		nframes = t->distinct ? t->distinct : 1;
	out->frames = nframes;
	if (policy == TRACE_OPT)
		return t->prepared && replay_opt(t, nframes, out, NULL);
	return replay_shared(t, shared_kind[policy], nframes, out, NULL);
}

bool trace_replay_steps(const struct trace *t, enum trace_policy policy, uint32_t nframes, uint32_t steps,
			struct trace_step *out, uint64_t *frames_after, struct trace_run *run)
{
	if (nframes == 0 || (unsigned)policy >= TRACE_POLICY_COUNT || steps > t->count)
		return false;
	/* No clamping to the distinct pages here: a table draws every frame. */
	struct step_recorder rec = {steps, out, frames_after};
	run->frames = nframes;
	if (policy == TRACE_OPT)
		return t->prepared && replay_opt(t, nframes, run, &rec);
	return replay_shared(t, shared_kind[policy], nframes, run, &rec);
}

static const char *const trace_policy_names[TRACE_POLICY_COUNT] = {
	[TRACE_FIFO] = "fifo", [TRACE_LRU] = "lru", [TRACE_CLOCK] = "clock", [TRACE_OPT] = "opt",
};

const char *trace_policy_name(enum trace_policy p)
{
	return (unsigned)p < TRACE_POLICY_COUNT ? trace_policy_names[p] : "?";
}

bool trace_policy_parse(const char *name, enum trace_policy *out)
{
	for (int k = 0; k < TRACE_POLICY_COUNT; k++) {
		if (strcasecmp(name, trace_policy_names[k]) == 0) {
			*out = (enum trace_policy)k;
			return true;
		}
	}
	return false;
}
