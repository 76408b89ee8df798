/* trace_script.c - turns a memory trace into a scenario, so the live screen
 * can step through it (vmviz play --trace FILE). */
#include "trace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Index of page in the sorted, distinct pages[0..n). */
static uint64_t page_index(const uint64_t *pages, uint64_t n, uint64_t page)
{
	uint64_t lo = 0, hi = n;
	while (lo + 1 < hi) {
		uint64_t mid = (lo + hi) / 2;
		if (pages[mid] <= page)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The table's declaration, a line per REFS_PER_LINE pages: the parser takes
 * at most 16 words a line ("refs t FRAMES" and 12 pages). */
#define REFS_PER_LINE 12

int trace_write_script(const struct trace *t, const char *name, uint32_t max_steps, uint64_t page_size,
		       uint32_t table_frames, bool opt, FILE *out)
{
	uint32_t n = t->count < max_steps ? t->count : max_steps;
	if (n == 0)
		return -1;
	uint64_t *sorted = malloc(sizeof *sorted * n);
	if (!sorted)
		return -1;
	memcpy(sorted, t->pages, sizeof *sorted * n);
	qsort(sorted, n, sizeof *sorted, cmp_u64);
	uint64_t distinct = 0;
	for (uint32_t i = 0; i < n; i++)
		if (i == 0 || sorted[i] != sorted[i - 1])
			sorted[distinct++] = sorted[i];
	fprintf(out, "# title: trace %s (%" PRIu32 " of %" PRIu32 " accesses, %" PRIu64 " pages)\n", name, n, t->count,
		distinct);
	fprintf(out, "# teaches: the replacement policy at work on a real access pattern\n");
	if (table_frames) {
		fprintf(out,
			"say \"Trace %s: a step an access. The table gives its %" PRIu64 " pages %" PRIu32
			" frames; the machine has room for all.\""
			" zh \"内存访问轨迹 %s：每步访问一次。表格给它的 %" PRIu64 " 个页 %" PRIu32
			" 个物理页；后面的机器装得下全部页。\"\n",
			name, distinct, table_frames, name, distinct, table_frames);
	} else {
		fprintf(out, "say \"Trace %s: each step touches one page. Watch the frames and the policy.\""
			     " zh \"内存访问轨迹 %s：每一步访问一个页，看物理页和置换策略如何变化。\"\n",
			name, name);
	}
	fprintf(out, "t = mmap(%" PRIu64 ")\n", distinct * page_size);
	if (table_frames) {
		/* Pages are named 1 2 3 ... in page order, as the mapping holds them. */
		for (uint32_t i = 0; i < n; i++) {
			if (i % REFS_PER_LINE == 0)
				fprintf(out, i ? "\nrefs +" : "refs t %" PRIu32, table_frames);
			fprintf(out, " %" PRIu64, page_index(sorted, distinct, t->pages[i]) + 1);
		}
		fputc('\n', out);
		if (opt)
			fprintf(out, "set policy opt\n");
		for (uint32_t i = 0; i < n; i++)
			fputs("ref\n", out);
	} else {
		for (uint32_t i = 0; i < n; i++)
			fprintf(out, "touch t+0x%" PRIx64 " 1\n", page_index(sorted, distinct, t->pages[i]) * page_size);
	}
	free(sorted);
	return ferror(out) ? -1 : 0;
}
