/* run.c - headless mode: each command, the events it caused in plain
 * words, and its output, as a transcript. */
#include "run.h"
#include "lines.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Events that say what a command did, as opposed to the page-by-page
 * detail of it: never folded away. */
static bool milestone(enum event_kind k)
{
	switch (k) {
	case EV_BRK: case EV_MMAP: case EV_MUNMAP: case EV_MALLOC: case EV_FREE: case EV_SEGV:
	case EV_OOM_KILL: case EV_PROC_NEW: case EV_FORK: case EV_PROC_EXIT: case EV_PROC_SWITCH:
	case EV_STACK_GROW: case EV_POLICY: case EV_MREMAP: case EV_MPROTECT: case EV_CALL: case EV_RETURN:
		return true;
	default:
		return false;
	}
}

void run_print_events(const struct session *s, uint64_t seq, FILE *out, unsigned max)
{
	const struct event_log *log = &s->vm->log;
	uint64_t end = log->next_seq, shown = 0;
	uint64_t shown_kind[EV_KIND_COUNT] = {0};
	char line[256];
	if (seq < event_oldest(log))
		seq = event_oldest(log);
	for (; seq < end; seq++) {
		const struct event *ev = event_get(log, seq);
		/* Past the limit, only what a page-by-page flood would hide. */
		if (shown >= max && !milestone(ev->kind))
			continue;
		size_t n = event_describe(ev, s->lang, line, sizeof line);
		shown_kind[ev->kind]++;
		/* "write to X" and what it led to read best as one line. */
		const struct event *next = event_get(log, seq + 1);
		if (ev->kind == EV_ACCESS && next &&
		    (next->kind == EV_HIT || next->kind == EV_FAULT_MINOR || next->kind == EV_FAULT_MAJOR ||
		     next->kind == EV_SEGV)) {
			snprintf(line + n, sizeof line - n, ": ");
			event_describe(next, s->lang, line + n + 2, sizeof line - n - 2);
			shown_kind[next->kind]++;
			seq++;
		}
		fprintf(out, "  - %s\n", line);
		shown++;
	}
	/* The rest, counted from the totals: the ring may have lost them. */
	uint64_t rest[EV_KIND_COUNT], total = 0;
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		rest[k] = log->counts[k] - s->counts_before[k] - shown_kind[k];
		total += rest[k];
	}
	if (!total)
		return;
	bool zh = s->lang == LANG_ZH;
	fprintf(out, zh ? "  ... 另有 %" PRIu64 " 个事件合并为：" : "  ... %" PRIu64 " more events folded:", total);
	static const struct { enum event_kind kind; const char *what, *zh; } sum[] = {
		{EV_FAULT_MINOR, "minor faults", "次缺页"}, {EV_FAULT_MAJOR, "major faults", "主缺页"},
		{EV_FRAME_ALLOC, "frames allocated", "分配页框"}, {EV_EVICT, "evictions", "淘汰"},
		{EV_SWAP_OUT, "swap-outs", "换出"}, {EV_SWAP_IN, "swap-ins", "换入"},
		{EV_FILE_DROP, "file pages dropped", "丢弃文件页"}, {EV_FILE_READ, "file pages read", "读入文件页"},
		{EV_COW, "copy-on-write", "写时复制"}, {EV_HIT, "hits", "命中"},
		{EV_PTE_SET, "PTEs set", "建立页表项"}, {EV_PTE_CLEAR, "PTEs cleared", "清除页表项"},
		{EV_FRAME_FREE, "frames freed", "释放页框"}, {EV_TABLE_ALLOC, "tables allocated", "分配页表"},
		{EV_TABLE_FREE, "tables freed", "释放页表"}, {EV_SEGV, "SIGSEGV", "段错误"},
		{EV_OOM_KILL, "OOM kills", "OOM 杀死进程"}, {EV_PROC_EXIT, "process exits", "进程退出"},
	};
	const char *sep = zh ? "" : " ";
	for (size_t i = 0; i < sizeof sum / sizeof *sum; i++) {
		if (!rest[sum[i].kind])
			continue;
		if (zh)
			fprintf(out, "%s%s %" PRIu64 " 次", sep, sum[i].zh, rest[sum[i].kind]);
		else
			fprintf(out, "%s%" PRIu64 " %s", sep, rest[sum[i].kind], sum[i].what);
		sep = zh ? "，" : ", ";
	}
	fprintf(out, "\n");
}

int run_script(struct session *s, FILE *in, const char *name, FILE *out, FILE *err, const struct run_options *o)
{
	struct lines lines;
	if (lines_open(&lines, lines_read_stdio, in, SESSION_LINE_MAX - 1) < 0) {
		fprintf(err, "%s: out of memory\n", name);
		return 1;
	}
	enum lines_status st;
	int status = 0;
	while ((st = lines_next(&lines)) == LINES_OK) {
		const char *t = lines.text;
		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t || *t == '#' || (t[0] == '/' && t[1] == '/'))
			continue;
		char shown[SESSION_LINE_MAX];
		snprintf(shown, sizeof shown, "%s", t);
		escape_controls(shown, sizeof shown);
		fprintf(out, "> %s\n", shown);
		int rc = session_exec(s, t);
		run_print_events(s, s->first_event, out, o->max_events);
		if (s->out.len)
			fputs(s->out.s, out);
		if (rc == 0 && s->screenshot)
			fprintf(out, s->lang == LANG_ZH ? "（无屏幕模式：不截图）\n" : "(no screen in headless mode: screenshot skipped)\n");
		if (rc < 0) {
			fprintf(out, s->lang == LANG_ZH ? "错误：%s\n" : "error: %s\n", s->err);
			fflush(out); /* both may go to one pipe: the transcript first */
			fprintf(err, "%s:%" PRIu64 ": %s\n", name, lines.number, s->err);
			status = 1;
		}
		if (o->check && vm_check(s->vm) < 0) {
			fprintf(out, "invariant broken: %s\n", s->vm->err);
			fflush(out);
			fprintf(err, "%s:%" PRIu64 ": invariant broken: %s\n", name, lines.number, s->vm->err);
			status = 1;
		}
		fflush(out);
		if (s->quit)
			break;
	}
	if (st != LINES_OK && st != LINES_END) {
		char why[100];
		lines_why(&lines, st, why, sizeof why);
		fflush(out);
		fprintf(err, "%s:%" PRIu64 ": %s\n", name, lines.number, why);
		status = 1;
	} else if (ferror(in)) {
		int why = errno;
		fflush(out);
		fprintf(err, "%s: read error: %s\n", name, strerror(why ? why : EIO));
		status = 1;
	}
	lines_close(&lines);
	return status;
}
