/* trace.h - `vmviz trace`: read a memory-access trace, replay it under FIFO, LRU, CLOCK or OPT.
 *
 * Three steps, one file each:
 *   trace_read.c  bytes (plain, gzip, xz) -> lines -> page numbers
 *   trace_sim.c   page numbers + policy + frame count -> faults
 *   trace_cli.c   the command line, the result table and the fault-curve plot
 */
#ifndef VMVIZ_TRACE_H
#define VMVIZ_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Accesses are numbered with uint32_t; this value means "never (again)". */
#define TRACE_NEVER UINT32_MAX
#define TRACE_MAX_ACCESSES (UINT32_MAX - 1u)

enum trace_format {
	TRACE_FORMAT_UNKNOWN, /* nothing recognisable seen (empty, or junk) */
	TRACE_FORMAT_PAGES,   /* one decimal page number per line */
	TRACE_FORMAT_HEX,     /* one 0x address per line */
	TRACE_FORMAT_LACKEY,  /* valgrind --tool=lackey --trace-mem=yes */
};

enum trace_bad_lines { TRACE_BAD_SKIP, TRACE_BAD_REFUSE };

/* A trace in memory: the page number of every access, in order. */
struct trace {
	uint64_t *pages;          /* page number of access i */
	uint32_t count;           /* accesses */
	uint32_t cap;             /* allocated length of pages */
	enum trace_format format; /* what the reader detected */
	uint64_t bad_lines;       /* lines skipped as unparsable */
	/* Filled by trace_prepare(), freed by trace_free(): */
	bool prepared;
	uint32_t *next_use;       /* index of the next access to the same page, or TRACE_NEVER */
	uint32_t distinct;        /* distinct pages */
	size_t prepare_bytes;     /* peak bytes of the page map used while preparing */
};

struct trace_read_opts {
	uint64_t page_size;            /* power of two; addresses are divided by it */
	enum trace_bad_lines bad;      /* skip (and count) or refuse bad lines */
	FILE *err;                     /* where "FILE:LINE: message" goes; NULL = nowhere */
	unsigned max_messages;         /* bad-line messages shown before going quiet */
};

/* trace_read.c */

/* Reads path ("-" = stdin; gzip and xz recognised by their magic bytes) into
 * t, which must be zeroed. Returns 0, or -1 after printing why to o->err
 * (unreadable, corrupt, out of memory, or a bad line when refusing them). */
int trace_read(const char *path, const struct trace_read_opts *o, struct trace *t);
const char *trace_format_name(enum trace_format f);

/* trace_sim.c */

enum trace_policy { TRACE_FIFO, TRACE_LRU, TRACE_CLOCK, TRACE_OPT, TRACE_POLICY_COUNT };

/* Appends one access; returns false when out of memory or the trace is full. */
bool trace_append(struct trace *t, uint64_t page);
/* Computes next_use and distinct (needed by OPT, and to skip pointless
 * frames for all). Returns false when out of memory. */
bool trace_prepare(struct trace *t);
void trace_free(struct trace *t);

struct trace_run {
	uint64_t faults;   /* accesses that found their page not resident */
	uint32_t frames;   /* frames actually simulated (never more than distinct pages) */
	size_t bytes;      /* memory the replay allocated: O(frames), never O(pages) */
};

/* Replays t under policy on nframes (>= 1) frames, starting empty. OPT needs
 * t prepared; the others use it, when there, to simulate no more frames than
 * there are distinct pages (same faults, less memory). Returns false when out
 * of memory or OPT is asked of an unprepared trace. */
bool trace_replay(const struct trace *t, enum trace_policy policy, uint32_t nframes,
		  struct trace_run *out);

/* One access of a stepped replay, as a textbook's reference-string table
 * draws it. */
#define TRACE_NO_PAGE UINT64_MAX
struct trace_step {
	bool fault;        /* the page was not resident */
	uint64_t evicted;  /* the page it pushed out, or TRACE_NO_PAGE */
};

/* The same replay as trace_replay (the same code), but of only the first
 * steps accesses, recording each one: out[i], and in frames_after[i * nframes
 * + f] the page frame f holds after access i (TRACE_NO_PAGE while free).
 * Frames are not clamped to the distinct pages. run gets the totals of
 * those steps. False when out of memory, steps > count, or OPT unprepared. */
bool trace_replay_steps(const struct trace *t, enum trace_policy policy, uint32_t nframes, uint32_t steps,
			struct trace_step *out, uint64_t *frames_after, struct trace_run *run);

const char *trace_policy_name(enum trace_policy p);
/* "fifo", "lru", "clock", "opt" (any case). */
bool trace_policy_parse(const char *name, enum trace_policy *out);

/* trace_script.c */

/* Writes a scenario that steps through the first max_steps accesses of t:
 * one mapping with a page per distinct trace page (in page order) and a
 * touch per access; or, with table_frames > 0, the accesses declared as a
 * reference string (refs, pages named 1 2 3 ... in page order) drawn as a
 * table with that many frames, OPT if opt, and a `ref` per access.
 * Returns 0, or -1 for an empty trace or a write error. */
int trace_write_script(const struct trace *t, const char *name, uint32_t max_steps, uint64_t page_size,
		       uint32_t table_frames, bool opt, FILE *out);

/* trace_cli.c */

/* `vmviz trace ...`; argv[0] is "trace". Returns the exit status:
 * 0 done, 1 the trace could not be read, 2 bad command line. */
int trace_main(int argc, char **argv);

#endif
