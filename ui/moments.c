/* moments.c - finds a step's moments in its events and words its banner. */
#include "moments.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void moments_names(const struct vm *vm, struct proc_names *pn)
{
	pn->n = 0;
	for (int i = 0; i < vm->nprocs && pn->n < (int)(sizeof pn->pid / sizeof pn->pid[0]); i++) {
		const struct proc *p = vm->procs[i];
		if (!p)
			continue;
		pn->pid[pn->n] = p->pid;
		snprintf(pn->name[pn->n], sizeof pn->name[pn->n], "%s", p->name);
		pn->n++;
	}
}

static const char *name_of(const struct proc_names *pn, const struct event_log *log, uint64_t upto, int pid)
{
	for (int i = 0; i < pn->n; i++)
		if (pn->pid[i] == pid)
			return pn->name[i];
	/* Started during the step: its EV_PROC_NEW names it. */
	for (uint64_t q = event_oldest(log); q < upto; q++) {
		const struct event *e = event_get(log, q);
		if (e && e->kind == EV_PROC_NEW && e->pid == pid)
			return e->text;
	}
	return "?";
}

/* Appends one piece to the banner, " · " between pieces. */
static void piece(struct moments *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void piece(struct moments *m, const char *fmt, ...)
{
	size_t n = strlen(m->banner);
	if (n && n + 4 < sizeof m->banner) {
		snprintf(m->banner + n, sizeof m->banner - n, " · ");
		n = strlen(m->banner);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->banner + n, sizeof m->banner - n, fmt, ap);
	va_end(ap);
}

static bool is_kill(const char *why)
{
	return why && strncmp(why, "killed by", 9) == 0;
}

void moments_read(struct moments *m, const struct vm *vm, uint64_t from, uint64_t to,
		  const struct proc_names *pn, enum lang lang)
{
	memset(m, 0, sizeof *m);
	m->role = R_WARN;
	const struct event_log *log = &vm->log;
	if (from < event_oldest(log))
		from = event_oldest(log);
	bool zh = lang == LANG_ZH;
	int evict = 0, out = 0, in = 0, copies = 0, reuse = 0;
	/* Kills first: they are what the audience must not miss. */
	for (uint64_t q = from; q < to; q++) {
		const struct event *e = event_get(log, q);
		if (!e)
			continue;
		switch (e->kind) {
		case EV_SEGV:
			m->role = R_ERROR;
			piece(m, zh ? "SIGSEGV（段错误）：进程 %d 被杀死（0x%" PRIx64 "，%s）" :
				      "SIGSEGV: process %d killed (0x%" PRIx64 ", %s)",
			      e->pid, e->va, zh ? event_why_zh(e->why) : e->why ? e->why : "");
			break;
		case EV_OOM_KILL:
			m->role = R_ERROR;
			piece(m, zh ? "OOM killer：内存和 swap 都满了，进程 %d 被杀死" :
				      "OOM killer: RAM and swap full, process %d killed", e->pid);
			break;
		case EV_PROC_EXIT:
			if (e->why && strcmp(e->why, "killed by SIGABRT") == 0) {
				m->role = R_ERROR;
				piece(m, zh ? "SIGABRT：glibc 发现堆被破坏，进程 %d 中止" :
					      "SIGABRT: glibc found its heap corrupted, process %d aborted",
				      e->pid);
			}
			if (m->ngone < MOMENTS_GONE) {
				struct gone *g = &m->gone[m->ngone++];
				g->pid = e->pid;
				g->why = e->why;
				snprintf(g->name, sizeof g->name, "%s", name_of(pn, log, from, e->pid));
			}
			break;
		case EV_EVICT:
		case EV_FILE_DROP:
			evict += e->kind == EV_EVICT;
			break;
		case EV_SWAP_OUT:
			out += e->b == 0;   /* an unchanged page is not written again */
			break;
		case EV_SWAP_IN:
			in++;
			break;
		case EV_COW:
			if ((uint64_t)e->pfn == e->a)
				reuse++;
			else
				copies++;
			break;
		default:
			break;
		}
	}
	if (evict)
		piece(m, zh ? "淘汰 %d 页" : "%d page%s evicted", evict,
		      zh ? "" : evict == 1 ? "" : "s");
	if (out)
		piece(m, zh ? "%d 页换出到 swap" : "%d written to swap", out);
	if (in)
		piece(m, zh ? "%d 页从 swap 换入（主缺页）" : "%d read back from swap (major fault)", in);
	if (copies)
		piece(m, zh ? "写时复制：复制了 %d 页" : "copy-on-write: %d page%s copied", copies,
		      zh ? "" : copies == 1 ? "" : "s");
	if (reuse && !copies)
		piece(m, zh ? "写时复制：只剩一个使用者，不用复制" : "copy-on-write: the last user keeps the page, no copy");
	for (int i = 0; i < m->ngone; i++) {
		const struct gone *g = &m->gone[i];
		/* "killed by ..." was worded above, with its cause */
		if (g->why && strcmp(g->why, "killed") == 0) {
			m->role = R_ERROR;
			piece(m, zh ? "进程 %d（%s）被杀死" : "process %d (%s) killed", g->pid, g->name);
		} else if (!is_kill(g->why)) {
			piece(m, zh ? "进程 %d（%s）退出" : "process %d (%s) exited", g->pid, g->name);
		}
	}
}

const char *moments_gone_word(const struct gone *g, enum lang lang)
{
	bool zh = lang == LANG_ZH;
	if (g->why && strcmp(g->why, "killed") == 0)
		return zh ? "被杀死" : "killed";
	if (!g->why || !is_kill(g->why))
		return zh ? "已退出" : "exited";
	if (strstr(g->why, "SIGSEGV"))
		return zh ? "SIGSEGV 杀死" : "killed: SIGSEGV";
	if (strstr(g->why, "SIGABRT"))
		return zh ? "SIGABRT 中止" : "killed: SIGABRT";
	if (strstr(g->why, "OOM"))
		return zh ? "OOM 杀死" : "killed: OOM";
	return zh ? "被杀死" : "killed";
}
