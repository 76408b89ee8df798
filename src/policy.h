/* policy.h - page replacement policies (FIFO, LRU, CLOCK) behind one ops table.
 *
 * A policy tracks which frames hold replaceable pages and chooses a victim
 * when none is free. It knows frames only by index; the engine and the trace
 * replayer both drive it. Kernel-reserved frames are simply never loaded.
 *
 * CLOCK, exactly as SPEC.md: a hit sets the frame's reference bit; a load sets
 * it too; when a victim is needed the hand, from where it stands, clears set
 * bits and advances until it finds a clear one, which is the victim, and then
 * moves one past it (the new page is loaded where the victim was).
 */
#ifndef VMVIZ_POLICY_H
#define VMVIZ_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_NONE UINT32_MAX
/* How many of the frames a CLOCK sweep cleared are remembered by name. */
#define POLICY_SWEEP_SHOW 8

enum policy_kind { POLICY_FIFO, POLICY_LRU, POLICY_CLOCK, POLICY_COUNT };

/* Returns true if the frame may be evicted now (the engine says no to an
 * anonymous page when swap is full). NULL accepts every frame. */
typedef bool (*policy_accept_fn)(void *ctx, uint32_t frame);

struct policy {
	enum policy_kind kind;
	uint32_t nframes;
	uint8_t *loaded;   /* 1 if the frame holds a page the policy manages */
	uint8_t *ref;      /* CLOCK reference bits */
	uint32_t *prev;    /* FIFO/LRU list: oldest (victim end) ... newest */
	uint32_t *next;
	uint32_t head;     /* oldest / least recently used */
	uint32_t tail;     /* newest / most recently used */
	uint32_t hand;     /* CLOCK hand */
	uint32_t base;     /* frames below it never hold pages (the kernel's): the hand wraps to it */
	uint32_t count;    /* frames loaded */
	uint32_t top;      /* frames from here up have never been loaded: the order stops there */
	uint64_t tick;     /* page loads and hits so far: the policy's clock */
	uint64_t *stamp;   /* tick of the frame's load (FIFO) or last use (LRU, CLOCK) */
	/* The last victim search, so the engine can say why it chose that frame. */
	struct {
		uint32_t from;      /* CLOCK: where the hand started */
		uint32_t cleared;   /* reference bits it cleared */
		uint32_t list[POLICY_SWEEP_SHOW]; /* the first of them */
		uint32_t skipped;   /* frames passed over: not acceptable now */
	} sweep;
	/* Called when CLOCK clears a reference bit, so the engine can clear the
	 * PTEs' Accessed bits too (on x86 they are the reference bit). */
	void (*on_clear)(void *ctx, uint32_t frame);
	void *on_clear_ctx;
};

struct policy *policy_new(enum policy_kind kind, uint32_t nframes);
void policy_free(struct policy *p);
/* Forget every page: all frames unloaded, hand back at frame 0. */
void policy_reset(struct policy *p);

/* A page was just loaded into frame. */
void policy_loaded(struct policy *p, uint32_t frame);
/* The page in frame was accessed. */
void policy_hit(struct policy *p, uint32_t frame);
/* The page in frame went away (unmapped, freed, evicted). */
void policy_unloaded(struct policy *p, uint32_t frame);
/* Choose the frame to evict, or POLICY_NONE if no loaded frame is
 * acceptable. CLOCK moves its hand; the caller must then evict that frame. */
uint32_t policy_victim(struct policy *p, policy_accept_fn ok, void *ctx);

/* Frames in eviction order, next victim first (CLOCK: from the hand).
 * Returns how many were written (at most max). */
uint32_t policy_order(const struct policy *p, uint32_t *out, uint32_t max);
bool policy_refbit(const struct policy *p, uint32_t frame);

/* The numbers of the last victim search, kept to explain it later. */
struct policy_why {
	uint8_t kind;            /* enum policy_kind */
	uint32_t victim, from, cleared, skipped, hand;
	uint32_t list[POLICY_SWEEP_SHOW];
	uint64_t stamp, tick;    /* the victim's load or last use, and now */
};
void policy_why_of(const struct policy *p, uint32_t victim, struct policy_why *w);
/* Why the victim was chosen, in English and Chinese: the frames CLOCK's
 * sweep cleared and where the hand stopped, the oldest page for LRU (its
 * last use) and FIFO (its arrival). */
void policy_explain(const struct policy_why *w, char *en, size_t en_size, char *zh, size_t zh_size);

const char *policy_name(enum policy_kind kind);
/* Parses "fifo", "lru", "clock" (any case); returns false if unknown. */
bool policy_parse(const char *name, enum policy_kind *out);

#endif
