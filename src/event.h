/* event.h - the engine's typed event stream.
 *
 * Every engine operation appends events to a ring. Readers (the transcript
 * printer, the screen) remember the last sequence number they saw and read
 * what is newer; the ring keeps the latest EVENT_RING entries.
 */
#ifndef VMVIZ_EVENT_H
#define VMVIZ_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

enum event_kind {
	EV_ACCESS,       /* a=1 write, 0 read; va */
	EV_TLB_HIT,
	EV_TLB_MISS,
	EV_WALK,         /* level, a = table index at that level */
	EV_HIT,          /* page present: no fault; pfn */
	EV_FAULT_MINOR,  /* why: "demand zero", "zero page", "copy-on-write", "page cache", "swap cache" */
	EV_FAULT_MAJOR,  /* why: "swap-in", "file read" */
	EV_ZERO_PAGE,    /* read of never-written anon memory mapped the shared zero page */
	EV_FRAME_ALLOC,  /* pfn, a = frame kind */
	EV_FRAME_FREE,   /* pfn */
	EV_PTE_SET,      /* va/vpn -> pfn, a = pte value */
	EV_PTE_CLEAR,    /* vpn, a = old pte value */
	EV_TABLE_ALLOC,  /* level of the new table */
	EV_TABLE_FREE,
	EV_EVICT,        /* pfn chosen by the policy; pid/vpn of its page */
	EV_SWAP_OUT,     /* pfn -> slot */
	EV_SWAP_IN,      /* slot -> pfn */
	EV_FILE_DROP,    /* clean file page dropped from pfn */
	EV_FILE_READ,    /* file page read into pfn */
	EV_COW,          /* copy-on-write: a = old pfn, pfn = new frame (or same, reused) */
	EV_SEGV,         /* why: "no mapping", "write to read-only page", "kernel address", ... */
	EV_OOM_KILL,     /* pid killed; a resident, b swapped, level page-table pages */
	EV_BRK,          /* a = old brk, b = new brk */
	EV_MMAP,         /* va = start, a = length; merged with a neighbour:
			  * b, c = the VMA it is now part of (else 0) */
	EV_MUNMAP,       /* va = start, a = length */
	EV_STACK_GROW,   /* va = new stack start */
	EV_MALLOC,       /* text = call, va = pointer, a = size, level = enum alloc_why, b/slot: see it */
	EV_FREE,         /* text = call, va = pointer, level = enum alloc_why, b/slot: see it */
	EV_PROC_NEW,     /* pid; name in text */
	EV_FORK,         /* pid = parent, a = child pid */
	EV_PROC_EXIT,    /* pid; why */
	EV_PROC_SWITCH,  /* pid now current */
	EV_POLICY,       /* policy or size change; text */
	EV_MREMAP,       /* va = new start, a = new length, b = old start */
	EV_MPROTECT,     /* va = start, a = length, b = new prot */
	EV_CALL,         /* va = new stack pointer, a = frame bytes, b = depth */
	EV_RETURN,       /* va = stack pointer again, a = depth left */
	EV_KIND_COUNT
};

#define EVENT_NONE (-1)

/* EV_MALLOC / EV_FREE: where glibc's malloc found a chunk, or put one. */
enum alloc_why {
	AW_NONE,
	AW_TCACHE,          /* malloc: from tcache */
	AW_FASTBIN,
	AW_SMALLBIN,
	AW_UNSORTED,        /* exact fit met in the unsorted bin */
	AW_LAST_REMAINDER,
	AW_LARGEBIN,        /* best fit in its large bin */
	AW_BINMAP,          /* split from a chunk of a larger bin */
	AW_TOP,             /* split from the top chunk */
	AW_TOP_GROWN,       /* ... after brk grew it by b bytes */
	AW_MMAP,            /* own mapping: b = mmap threshold */
	AW_NULL,            /* the kernel refused: NULL (calloc: slot = n, pfn = size) */
	AW_TOO_LARGE,       /* NULL at once: the size overflows or passes PTRDIFF_MAX */
	AW_REALLOC_SAME,    /* realloc: fits where it is (b = old pointer) */
	AW_REALLOC_TOP,     /* grown into the top chunk */
	AW_REALLOC_NEXT,    /* grown into the free chunk after it */
	AW_REALLOC_MOVED,   /* malloc, copy, free */
	AW_REALLOC_MREMAP,  /* an mmapped chunk resized with mremap */
	AW_TO_TCACHE,       /* free: b = chunk size, slot = chunks now in that bin */
	AW_TO_FASTBIN,      /* b = chunk size */
	AW_TO_UNSORTED,     /* b = merged size */
	AW_TO_TOP,
	AW_TRIMMED,         /* merged into top, then brk shrank by b bytes */
	AW_MUNMAP,          /* b = new mmap threshold if it rose, else 0 */
	AW_ABORT,           /* glibc found corruption: why = its message */
};

struct event {
	uint64_t seq;
	enum event_kind kind;
	int pid;
	int level;            /* EV_WALK / EV_TABLE_*: table depth, 0 = root */
	int64_t pfn;          /* frame, or EVENT_NONE */
	int64_t slot;         /* swap slot, or EVENT_NONE */
	uint64_t va;          /* virtual address (or page start) */
	uint64_t a, b, c;     /* kind-specific, see the enum */
	const char *why;      /* static string, may be NULL */
	uint32_t reason;      /* its reason in the log's reason ring, 0 = none */
	char text[24];        /* process name or command word, may be empty */
};

#define EVENT_RING 16384u
/* Reasons are kept apart from the events: only the events where the engine
 * decided something carry one, and a reason is longer than an event. */
#define EVENT_REASONS 4096u
#define EVENT_REASON_EN 320u
#define EVENT_REASON_ZH 400u

/* The reasons of the events that come by the thousand (a fault, an
 * eviction, a swap transfer) keep only their numbers; the words are made
 * the first time someone reads them (reason_text.c). */
enum reason_kind {
	RK_TEXT,          /* made already */
	RK_DEMAND_ZERO,   /* n: va, vma start, vma end; s: perms and name */
	RK_ZERO_PAGE,     /* n: zero page frame */
	RK_TLB_MISS,      /* n: page, TLB entries, levels, ns */
	RK_EVICT,         /* evict: the policy's search; n: user frames */
	RK_SWAP_OUT,      /* n: slot, disk, ns, clean */
	RK_SWAP_MAJOR,    /* n: slot, disk: the fault that must read it */
	RK_SWAP_IN,       /* n: slot, frame, disk, ns */
};

struct reason_args {
	uint64_t n[4];
	char s[96];
	struct policy_why evict;
};

struct event_reason {
	uint32_t id;                 /* the id it was written for */
	uint8_t kind;                /* enum reason_kind */
	uint8_t made;                /* en and zh hold the text */
	struct reason_args a;
	char en[EVENT_REASON_EN];
	char zh[EVENT_REASON_ZH];
};

struct event_log {
	struct event *ring;   /* EVENT_RING entries */
	uint64_t next_seq;    /* sequence number of the next event (starts at 1) */
	uint64_t counts[EV_KIND_COUNT]; /* totals since the log was created */
	struct event_reason *reasons; /* EVENT_REASONS entries, allocated at the first one */
	uint32_t next_reason;         /* id of the next reason (starts at 1) */
};

int event_log_init(struct event_log *log);
void event_log_free(struct event_log *log);
struct event *event_push(struct event_log *log, enum event_kind kind, int pid);
/* The event with this sequence number, or NULL if it is not (or no longer)
 * in the ring. */
const struct event *event_get(const struct event_log *log, uint64_t seq);
/* Oldest sequence number still in the ring. */
uint64_t event_oldest(const struct event_log *log);
const char *event_kind_name(enum event_kind kind);
/* Attaches the rule and the numbers that decided ev, in English and in
 * Chinese (both formats take the same arguments, in the same order). An
 * event has one reason; a second call replaces it. */
void event_because(struct event_log *log, struct event *ev, const char *fmt_en, const char *fmt_zh, ...)
	__attribute__((format(printf, 3, 5))) __attribute__((format(printf, 4, 5)));
/* A reason whose words wait until it is read: fill in the numbers. NULL
 * when there is no memory for reasons. */
struct reason_args *event_because_later(struct event_log *log, struct event *ev, enum reason_kind kind);
/* Makes the words of a reason from its numbers (reason_text.c). */
void reason_text(enum reason_kind kind, const struct reason_args *a, char *en, size_t en_size, char *zh, size_t zh_size);
/* The same with both texts made already. */
void event_because_text(struct event_log *log, struct event *ev, const char *en, const char *zh);
/* ev's reason in that language, or NULL if it has none (or it is no
 * longer kept). */
const char *event_reason(const struct event_log *log, const struct event *ev, int zh);
/* Drops the events from seq on (an access that changed nothing visible). */
void event_log_truncate(struct event_log *log, uint64_t seq);

enum lang { LANG_EN, LANG_ZH };
/* One line in plain words, e.g. "frame 7 allocated for pid 100". */
size_t event_describe(const struct event *ev, enum lang lang, char *buf, size_t size);
/* The Chinese for one of the engine's "why" strings (the string itself if
 * it has none). */
const char *event_why_zh(const char *why);

#endif
