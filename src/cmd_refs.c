/* cmd_refs.c - the reference-string commands: `refs` declares a textbook
 * reference string on a mapping, `ref` makes its next access. */
#include "commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The machine's policy as the table's; OPT is only ever set by `set policy opt`. */
static enum trace_policy table_policy(const struct session *s)
{
	enum trace_policy tp = TRACE_FIFO;
	trace_policy_parse(policy_name(s->vm->policy->kind), &tp);
	return tp;
}

/* Parses argv[0..n) as page numbers of the string at base into pages[];
 * each must be in a writable mapping of p. 0 or -1 with the error set. */
static int parse_pages(struct session *s, const struct proc *p, uint64_t base, char **argv, uint32_t n,
		       uint32_t *pages)
{
	uint64_t ps = s->vm->arch.page_size;
	for (uint32_t i = 0; i < n; i++) {
		char *end;
		unsigned long v = strtoul(argv[i], &end, 10);
		if (*end || argv[i][0] == '-' || v < 1 || v > REFSTRING_MAX)
			return cmd_error(s, TR(s, "refs: '%s' is not a page number (1 to %d)", "refs：'%s' 不是页号（1 到 %d）"),
					 argv[i], REFSTRING_MAX);
		pages[i] = (uint32_t)v;
		const struct vma *v_at = vm_find_vma(p, base + (v - 1) * ps);
		if (!v_at || !(v_at->prot & PROT_W))
			return cmd_error(s, TR(s, "refs: page %lu (0x%" PRIx64 ") is not in a writable mapping",
					       "refs：第 %lu 页（0x%" PRIx64 "）不在可写的映射里"),
					 v, base + (v - 1) * ps);
	}
	return 0;
}

/* refs + PAGE...: more of the declared string. */
static int refs_more(struct session *s, int argc, char **argv)
{
	struct refstring *rs = &s->refs;
	if (!rs->active)
		return cmd_error(s, "%s", TR(s, "refs +: no reference string to continue (declare one with refs)",
					     "refs +：没有可以接着写的访问序列（先用 refs 声明）"));
	const struct proc *p = vm_proc(s->vm, rs->pid);
	uint32_t n = (uint32_t)(argc - 2);
	if (!p || n > REFSTRING_MAX - rs->t.count)
		return cmd_error(s, TR(s, "refs: at most %d accesses", "refs：最多 %d 次访问"), REFSTRING_MAX);
	uint32_t *pages = malloc(n * sizeof *pages);
	if (!pages)
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	int rc = parse_pages(s, p, rs->base, argv + 2, n, pages);
	if (rc == 0 && refstring_append(rs, pages, n) < 0)
		rc = cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	free(pages);
	return rc;
}

/* refs ADDR FRAMES PAGE...: pages are 1-based page numbers inside the
 * mapping at ADDR; the table gives them FRAMES frames of their own. */
CMD(refs)
{
	if (argc >= 3 && strcmp(argv[1], "+") == 0)
		return refs_more(s, argc, argv);
	if (argc < 4)
		return cmd_usage(s, "refs");
	uint64_t base, frames;
	if (cmd_addr(s, argv[1], &base) < 0 || cmd_value(s, argv[2], &frames) < 0)
		return -1;
	if (frames < 1 || frames > REFSTRING_MAX_FRAMES)
		return cmd_error(s, TR(s, "refs: frames must be 1 to %d, not %" PRIu64, "refs：物理页数必须是 1 到 %d，不能是 %" PRIu64),
				 REFSTRING_MAX_FRAMES, frames);
	uint32_t n = (uint32_t)(argc - 3);
	if (n > REFSTRING_MAX)
		return cmd_error(s, TR(s, "refs: at most %d accesses", "refs：最多 %d 次访问"), REFSTRING_MAX);
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	uint64_t ps = s->vm->arch.page_size;
	if (base % ps)
		return cmd_error(s, TR(s, "refs: 0x%" PRIx64 " is not page aligned", "refs：0x%" PRIx64 " 没有按页对齐"), base);
	uint32_t *pages = malloc(n * sizeof *pages);
	if (!pages)
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	if (parse_pages(s, p, base, argv + 3, n, pages) < 0) {
		free(pages);
		return -1;
	}
	/* Keep OPT if the lecturer chose it for the previous string. */
	enum trace_policy tp = s->refs.active && s->refs.policy == TRACE_OPT ? TRACE_OPT : table_policy(s);
	int rc = refstring_start(&s->refs, s->vm->cur, base, ps, (uint32_t)frames, tp, pages, n);
	free(pages);
	if (rc < 0)
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	sb_printf(&s->out,
		  TR(s, "reference string of %u accesses to pages 1-%u, %u frames for them, policy %s\n",
		     "访问序列：%u 次访问，页 1-%u，给它们 %u 个物理页，置换策略 %s\n"),
		  n, s->refs.npages, s->refs.frames, trace_policy_name(s->refs.policy));
	return 0;
}

/* ref: the next access of the declared string. It writes the page's number
 * into the page, so a read later shows which page it is, and so the first
 * touch gets a frame of its own (a first read would map the zero page). */
CMD(ref)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "ref");
	struct refstring *rs = &s->refs;
	if (!rs->active)
		return cmd_error(s, "%s", TR(s, "ref: no reference string (declare one with refs)", "ref：还没有访问序列（先用 refs 声明）"));
	if (rs->done == rs->t.count)
		return cmd_error(s, TR(s, "ref: the reference string is done (%u accesses)", "ref：访问序列已经走完（%u 次访问）"),
				 rs->t.count);
	if (s->vm->cur != rs->pid || !vm_proc(s->vm, rs->pid))
		return cmd_error(s, TR(s, "ref: the reference string belongs to process %d", "ref：访问序列属于进程 %d"), rs->pid);
	uint32_t i = rs->done, page = refstring_page(rs, i);
	uint8_t byte = (uint8_t)page;
	enum fault_kind k = vm_access(s->vm, rs->pid, refstring_addr(rs, page), true, &byte);
	rs->done++;
	const struct trace_step *st = &rs->steps[i];
	uint32_t faults = refstring_faults(rs, rs->done);
	const char *plural = faults == 1 ? "" : "s";
	if (st->fault && st->evicted != TRACE_NO_PAGE)
		sb_printf(&s->out, TR(s, "access %u: page %u, miss, evicts page %" PRIu64 "; %u fault%s\n",
				      "第 %u 次访问：第 %u 页，缺页，淘汰第 %" PRIu64 " 页；共缺页 %u 次%s\n"),
			  i + 1, page, st->evicted, faults, TR(s, plural, ""));
	else
		sb_printf(&s->out, TR(s, "access %u: page %u, %s; %u fault%s\n", "第 %u 次访问：第 %u 页，%s；共缺页 %u 次%s\n"), i + 1,
			  page, st->fault ? TR(s, "miss", "缺页") : TR(s, "hit", "命中"), faults, TR(s, plural, ""));
	cmd_report_fault(s, k, rs->pid);
	return 0;
}
