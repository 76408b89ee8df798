/* refstring.h - a lecture's reference string: pages named 1 2 3 ... in one
 * mapping, replayed by the trace simulator as a textbook table.
 *
 * The model, said once here and in the scenarios' captions: the table gives
 * the reference string's pages a fixed number of frames of their own,
 * starting empty (local replacement); the program's other pages (stack,
 * data, libraries) are not counted. The live machine makes the same
 * accesses, so the VPNs, faults and evictions on the other panels are real;
 * the table is the textbook's view of them.
 */
#ifndef VMVIZ_REFSTRING_H
#define VMVIZ_REFSTRING_H

#include "trace.h"

#include <stdbool.h>
#include <stdint.h>

/* Longest reference string a scenario may declare (a table column each). */
#define REFSTRING_MAX 8192
/* Most frames a table draws (a row each). */
#define REFSTRING_MAX_FRAMES 16

struct refstring {
	bool active;
	int pid;                     /* the process whose mapping it is */
	uint64_t base;               /* address of page 1 */
	uint64_t page_size;
	uint32_t npages;             /* pages are numbered 1..npages */
	uint32_t frames;             /* frames the table gives them */
	enum trace_policy policy;
	struct trace t;              /* the page numbers, prepared (OPT reads the future) */
	uint32_t done;               /* accesses made so far */
	struct trace_step *steps;    /* outcome of every access under policy */
	uint64_t *contents;          /* [count * frames]: frames after each access */
};

/* Declares the string pages[0..n) (each 1..REFSTRING_MAX) on the mapping at
 * base. Returns 0, or -1 when out of memory (rs then inactive). */
int refstring_start(struct refstring *rs, int pid, uint64_t base, uint64_t page_size, uint32_t frames,
		    enum trace_policy policy, const uint32_t *pages, uint32_t n);
/* Adds pages[0..n) to the end of the declared string (a long string is
 * declared over several lines). 0, or -1 (too long, OOM; rs unchanged). */
int refstring_append(struct refstring *rs, const uint32_t *pages, uint32_t n);
/* Replays the whole string again under another policy; 0 or -1 (OOM, rs unchanged). */
int refstring_set_policy(struct refstring *rs, enum trace_policy policy);
/* Forgets the string. */
void refstring_clear(struct refstring *rs);
/* Faults among the first n accesses. */
uint32_t refstring_faults(const struct refstring *rs, uint32_t n);
/* The page number of access i (0-based). */
uint32_t refstring_page(const struct refstring *rs, uint32_t i);
/* The address of page number `page`. */
uint64_t refstring_addr(const struct refstring *rs, uint32_t page);

#endif
