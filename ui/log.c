/* log.c - the event log's lines and the narration of a command. */
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int log_init(struct logbuf *b, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->ring = calloc(cap, sizeof *b->ring);
	if (!b->ring)
		return -1;
	b->cap = cap;
	return 0;
}

void log_clear(struct logbuf *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->ring[(b->start + i) % b->cap].text);
	b->start = b->n = 0;
}

void log_free(struct logbuf *b)
{
	if (b->ring)
		log_clear(b);
	free(b->ring);
	memset(b, 0, sizeof *b);
}

static struct logline *add_line(struct logbuf *b, enum role role, int indent, const char *text)
{
	if (!b->cap)
		return NULL;
	char *t = strdup(text);
	if (!t)
		return NULL;
	struct logline *l;
	if (b->n == b->cap) {
		/* Full: the oldest line makes room. */
		l = &b->ring[b->start];
		free(l->text);
		b->start = (b->start + 1) % b->cap;
	} else {
		l = &b->ring[(b->start + b->n) % b->cap];
		b->n++;
	}
	l->text = t;
	l->role = (uint8_t)role;
	l->indent = (uint8_t)indent;
	l->reason = false;
	return l;
}

void log_add(struct logbuf *b, enum role role, int indent, const char *text)
{
	add_line(b, role, indent, text);
}

void log_add_reason(struct logbuf *b, const char *text)
{
	struct logline *l = add_line(b, R_DIM, 4, text);
	if (l)
		l->reason = true;
}

const struct logline *log_get(const struct logbuf *b, size_t i)
{
	return i < b->n ? &b->ring[(b->start + i) % b->cap] : NULL;
}

static enum role event_role(enum event_kind k)
{
	switch (k) {
	case EV_FAULT_MINOR: case EV_FAULT_MAJOR: case EV_ZERO_PAGE: case EV_COW:
		return R_EV_FAULT;
	case EV_FRAME_ALLOC: case EV_PTE_SET: case EV_TABLE_ALLOC: case EV_HIT:
		return R_EV_ALLOC;
	case EV_SWAP_OUT: case EV_SWAP_IN: case EV_EVICT: case EV_FILE_DROP:
	case EV_FILE_READ:
		return R_EV_SWAP;
	case EV_SEGV: case EV_OOM_KILL:
		return R_EV_BAD;
	case EV_BRK: case EV_MMAP: case EV_MUNMAP: case EV_MALLOC: case EV_FREE:
	case EV_STACK_GROW: case EV_MREMAP: case EV_MPROTECT: case EV_CALL: case EV_RETURN:
		return R_EV_MAP;
	case EV_WALK: case EV_TLB_HIT: case EV_TLB_MISS:
		return R_DIM;
	default:
		return R_NORMAL;
	}
}

/* A run of EV_WALK events reads better as one line, the way the MMU walks:
 * "MMU walk: PGD[170] → PUD[341] → PMD[170] → PTE[345]". */
static uint64_t walk_line(struct logbuf *b, const struct session *s, uint64_t q, uint64_t end)
{
	const struct event_log *log = &s->vm->log;
	const struct arch *a = &s->vm->arch;
	char buf[256], arrow[16];
	snprintf(arrow, sizeof arrow, " %s ", theme_glyphs()->arrow);
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s",
				    s->lang == LANG_ZH ? "MMU 逐级查页表: " : "MMU walk: ");
	for (; q < end; q++) {
		const struct event *ev = event_get(log, q);
		if (!ev || ev->kind != EV_WALK)
			break;
		const char *name = ev->level >= 0 && (unsigned)ev->level < a->levels
					   ? a->level_names[ev->level] : "?";
		if (n < sizeof buf)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s[%llu]",
					      n > 20 && buf[n - 1] == ']' ? arrow : "", name,
					      (unsigned long long)ev->a);
	}
	log_add(b, R_DIM, 2, buf);
	return q;
}

static bool shows_reason(enum event_kind k)
{
	switch (k) {
	case EV_EVICT: case EV_OOM_KILL: case EV_MALLOC: case EV_FREE: case EV_COW: case EV_SEGV: case EV_SWAP_IN:
		return true;
	default:
		return false;
	}
}

static uint64_t event_one(struct logbuf *b, const struct session *s, uint64_t q, uint64_t end)
{
	const struct event *ev = event_get(&s->vm->log, q);
	if (!ev)
		return q + 1;
	if (ev->kind == EV_WALK)
		return walk_line(b, s, q, end);
	char buf[480];
	buf[0] = 0;
	event_describe(ev, s->lang, buf, sizeof buf);
	if (buf[0])
		log_add(b, event_role(ev->kind), 2, buf);
	/* The decisions a student asks "why?" about carry their reason, dim,
	 * under them; `explain` gives every event's. */
	const char *why = shows_reason(ev->kind) ? event_reason(&s->vm->log, ev, s->lang == LANG_ZH) : NULL;
	if (why) {
		snprintf(buf, sizeof buf, "%s%s", s->lang == LANG_ZH ? "原因：" : "why: ", why);
		log_add_reason(b, buf);
	}
	return q + 1;
}

void log_events(struct logbuf *b, const struct session *s)
{
	if (!s->vm)
		return;
	const struct event_log *log = &s->vm->log;
	uint64_t from = s->first_event, end = log->next_seq, oldest = event_oldest(log);
	if (from < oldest) {
		/* The ring kept only the newest: say how many went by unseen. */
		char lost[120];
		snprintf(lost, sizeof lost,
			 s->lang == LANG_ZH ? "%s 更早的 %llu 个事件已不在记录中" : "%s %llu earlier events no longer kept",
			 theme_glyphs()->ell, (unsigned long long)(oldest - from));
		log_add(b, R_DIM, 2, lost);
		from = oldest;
	}
	if (from >= end)
		return;
	uint64_t total = end - from;
	if (total <= LOG_EVENTS_HEAD + LOG_EVENTS_TAIL) {
		for (uint64_t q = from; q < end;)
			q = event_one(b, s, q, end);
		return;
	}
	uint64_t mid = from + LOG_EVENTS_HEAD, tail = end - LOG_EVENTS_TAIL;
	for (uint64_t q = from; q < mid;)
		q = event_one(b, s, q, mid);
	char buf[120];
	const char *e = theme_glyphs()->ell;
	snprintf(buf, sizeof buf, s->lang == LANG_ZH ? "%s 省略 %llu 个事件 %s" : "%s %llu more events %s", e,
		 (unsigned long long)(tail - mid), e);
	log_add(b, R_DIM, 2, buf);
	for (uint64_t q = tail; q < end;)
		q = event_one(b, s, q, end);
}

/* Adds each line of text (output of a command may have many). */
static void add_lines(struct logbuf *b, enum role role, int indent, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char *line = strndup(text, len);
		if (!line)
			return;
		log_add(b, role, indent, line);
		free(line);
		text = nl ? nl + 1 : text + len;
	}
}

void log_command(struct logbuf *b, const struct session *s, const char *line, int rc)
{
	char buf[600];
	snprintf(buf, sizeof buf, "%s %s", theme_glyphs()->bullet, line);
	log_add(b, R_BOLD, 0, buf);
	/* The events first (the flow), then what the command printed (the
	 * result), then the error, the way a lecturer tells it. */
	log_events(b, s);
	add_lines(b, R_NORMAL, 2, s->out.s);
	if (rc < 0)
		add_lines(b, R_ERROR, 2, s->err);
}
