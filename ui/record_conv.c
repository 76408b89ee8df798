/* record_conv.c - turns the log of libvmviz-record.so into a scenario:
 * the program's start-up address space as map lines, its calls as vmviz
 * commands, the pages it touched between calls as touch/read, and after
 * each call expect lines with the real address, VSZ, RSS and minor faults
 * (as changes since the baseline, as tests/diff does). */
#define _GNU_SOURCE
#include "record_conv.h"
#include "session.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096ull
#define LINE_MAX_ 1200
#define NAMES_MAX 110

/* A set of page-aligned address ranges, sorted and disjoint. */
struct ranges {
	uint64_t (*r)[2];
	size_t n, cap;
};

static bool ranges_add(struct ranges *s, uint64_t lo, uint64_t hi)
{
	if (array_grow(&s->r, &s->cap, s->n + 1, sizeof *s->r) < 0)
		return false;
	size_t i = 0;
	while (i < s->n && s->r[i][1] < lo)
		i++;
	size_t j = i;
	while (j < s->n && s->r[j][0] <= hi) {
		lo = s->r[j][0] < lo ? s->r[j][0] : lo;
		hi = s->r[j][1] > hi ? s->r[j][1] : hi;
		j++;
	}
	memmove(&s->r[i + 1], &s->r[j], (s->n - j) * sizeof *s->r);
	s->n = s->n - (j - i) + 1;
	s->r[i][0] = lo;
	s->r[i][1] = hi;
	return true;
}

static void ranges_remove(struct ranges *s, uint64_t lo, uint64_t hi)
{
	struct ranges t = {0};
	for (size_t i = 0; i < s->n; i++) {
		if (s->r[i][0] < lo)
			ranges_add(&t, s->r[i][0], s->r[i][1] < lo ? s->r[i][1] : lo);
		if (s->r[i][1] > hi)
			ranges_add(&t, s->r[i][0] > hi ? s->r[i][0] : hi, s->r[i][1]);
	}
	free(s->r);
	*s = t;
}

/* Calls fn for each part of [lo, hi) not in s. */
static void ranges_gaps(const struct ranges *s, uint64_t lo, uint64_t hi, void (*fn)(void *, uint64_t, uint64_t),
			void *ctx)
{
	uint64_t at = lo;
	for (size_t i = 0; i < s->n && at < hi; i++) {
		if (s->r[i][1] <= at || s->r[i][0] >= hi)
			continue;
		if (s->r[i][0] > at)
			fn(ctx, at, s->r[i][0]);
		at = s->r[i][1];
	}
	if (at < hi)
		fn(ctx, at, hi);
}

struct mapline {
	uint64_t lo, hi, off;
	char perms[5];
	char name[256];
};

struct maps {
	struct mapline *v;
	size_t n, cap;
};

static bool parse_mapline(const char *text, struct mapline *m)
{
	unsigned long long lo, hi, off;
	char perms[8], dev[16];
	unsigned long inode;
	int used = 0;
	if (sscanf(text, "%llx-%llx %7s %llx %15s %lu %n", &lo, &hi, perms, &off, dev, &inode, &used) < 6)
		return false;
	m->lo = lo;
	m->hi = hi;
	m->off = off;
	snprintf(m->perms, sizeof m->perms, "%.4s", perms);
	snprintf(m->name, sizeof m->name, "%s", used ? text + used : "");
	size_t k = strlen(m->name);
	while (k && (m->name[k - 1] == '\n' || m->name[k - 1] == ' '))
		m->name[--k] = 0;
	return true;
}

static bool maps_push(struct maps *ms, const struct mapline *m)
{
	if (array_grow(&ms->v, &ms->cap, ms->n + 1, sizeof *ms->v) < 0)
		return false;
	ms->v[ms->n++] = *m;
	return true;
}

static bool special(const struct mapline *m)
{
	return m->name[0] == '[' && strcmp(m->name, "[heap]") != 0 && strcmp(m->name, "[stack]") != 0;
}

/* The recorder's own perf ring (anon_inode:[perf_event]): not the
 * program's, and placed out of its way, so vmviz leaves it out. */
static bool recorder_own(const struct mapline *m)
{
	return strncmp(m->name, "anon_inode:", 11) == 0;
}

/* What vmviz's map command takes: the line less device and inode. A name
 * with a space (rare) is cut at it. */
static void print_map(FILE *out, const struct mapline *m, uint64_t lo, uint64_t hi)
{
	char name[256];
	snprintf(name, sizeof name, "%s", m->name);
	char *sp = strchr(name, ' ');
	if (sp)
		*sp = 0;
	fprintf(out, "map %" PRIx64 "-%" PRIx64 " %s %" PRIx64 "%s%s\n", lo, hi, m->perms, m->off + (lo - m->lo),
		name[0] ? " " : "", name);
}

/* One process being followed: the real pid, its name in the scenario. */
struct proc_state {
	long pid;
	char var[32];          /* the variable holding its vmviz pid, "" for the first */
	long base[3];          /* baseline: VSZ, RSS (pages), faults */
	long last_faults;      /* after the last call */
	long last[3];          /* VSZ, RSS, faults last logged: an s line's */
	uint64_t prev_ptr, prev_site; /* s lines count from these */
	long between;          /* faults the program took between calls */
	bool syncing;          /* fa = faults was said: f0 to move before the call */
	bool fork_pending;     /* vmviz forked it; its own fork line is still to come */
	char sfx[16];          /* its baseline variables' suffix: vsz0, vsz0_c1... */
	struct maps maps;
	struct ranges present; /* pages known present */
	struct {
		uint64_t addr;
		char name[16];
	} *ptrs;
	size_t nptrs, cap;
};

struct conv {
	FILE *out;
	struct proc_state procs[16];
	int nprocs, cur;       /* cur: the process vmviz is switched to */
	int next_child;
	bool sampled;            /* a V line: numbers only at checkpoints */
	char mmap_file[256];     /* from an N line: the file the next mmap maps */
	char prog[16];           /* the program's name for vmviz's spawn */
	struct ranges start_rw;  /* writable mappings at start: re-written after fork */
	const char *where;       /* the current call's source line, or NULL */
	/* how many processes hold each name p1.., m1..: a name is used again
	 * once no process holds it (vmviz keeps 128 variables) */
	unsigned short refs[NAMES_MAX];
	struct record_summary *sum;
};

static struct proc_state *proc_of(struct conv *c, long pid)
{
	for (int i = 0; i < c->nprocs; i++)
		if (c->procs[i].pid == pid)
			return &c->procs[i];
	return NULL;
}

/* Switches vmviz to the process the next lines are about. */
static void switch_to(struct conv *c, struct proc_state *p)
{
	int i = (int)(p - c->procs);
	if (c->cur == i)
		return;
	fprintf(c->out, "proc %s\n", i == 0 ? "main" : p->var);
	c->cur = i;
}

static const char *ptr_name(struct proc_state *p, uint64_t addr)
{
	for (size_t i = 0; i < p->nptrs; i++)
		if (p->ptrs[i].addr == addr)
			return p->ptrs[i].name;
	return NULL;
}

static void name_release(struct conv *c, const char *name)
{
	int k = atoi(name + 1);
	if (k > 0 && k < NAMES_MAX && c->refs[k])
		c->refs[k]--;
}

static void ptr_forget(struct conv *c, struct proc_state *p, uint64_t addr)
{
	for (size_t i = 0; i < p->nptrs; i++)
		if (p->ptrs[i].addr == addr) {
			name_release(c, p->ptrs[i].name);
			p->ptrs[i] = p->ptrs[--p->nptrs];
			return;
		}
}

static const char *ptr_new(struct conv *c, struct proc_state *p, uint64_t addr, char kind)
{
	ptr_forget(c, p, addr);
	if (array_grow(&p->ptrs, &p->cap, p->nptrs + 1, sizeof *p->ptrs) < 0)
		return "x";
	p->ptrs[p->nptrs].addr = addr;
	int k = 1;
	while (k < NAMES_MAX && c->refs[k])
		k++;
	if (k == NAMES_MAX)
		k = 0; /* all names held: a scratch name, freed by address */
	else
		c->refs[k]++;
	snprintf(p->ptrs[p->nptrs].name, sizeof p->ptrs[p->nptrs].name, "%c%d", kind, k);
	return p->ptrs[p->nptrs++].name;
}

struct gap_ctx {
	FILE *out;
	const struct mapline *m;
	char kind;
};

static void emit_map_part(void *ctx, uint64_t lo, uint64_t hi)
{
	struct gap_ctx *g = ctx;
	print_map(g->out, g->m, lo, hi);
}

static void emit_unmap_part(void *ctx, uint64_t lo, uint64_t hi)
{
	struct gap_ctx *g = ctx;
	fprintf(g->out, "munmap 0x%" PRIx64 " %" PRIu64 "\n", lo, hi - lo);
}

static void emit_touch_part(void *ctx, uint64_t lo, uint64_t hi)
{
	struct gap_ctx *g = ctx;
	if (g->kind == 'w') {
		fprintf(g->out, "touch 0x%" PRIx64 " %" PRIu64 "\n", lo, hi - lo);
		return;
	}
	for (uint64_t a = lo; a < hi; a += PAGE)
		fprintf(g->out, "read 0x%" PRIx64 "\n", a);
}

static const char *prot_word(const char *perms)
{
	bool r = perms[0] == 'r', w = perms[1] == 'w', x = perms[2] == 'x';
	if (w)
		return x ? "rwx" : "rw";
	if (x)
		return "rx";
	return r ? "r" : "none";
}

/* The program changed its maps outside the recorded calls (glibc's own
 * mmaps, the stack growing, the heap moved by a direct brk): bring vmviz's
 * maps to the new ones. */
static void apply_maps(struct conv *c, struct proc_state *p, struct maps *now, bool emit)
{
	if (emit) {
		struct ranges was = {0}, is = {0};
		for (size_t i = 0; i < p->maps.n; i++)
			if (!special(&p->maps.v[i]) && !recorder_own(&p->maps.v[i]))
				ranges_add(&was, p->maps.v[i].lo, p->maps.v[i].hi);
		for (size_t i = 0; i < now->n; i++)
			if (!special(&now->v[i]) && !recorder_own(&now->v[i]))
				ranges_add(&is, now->v[i].lo, now->v[i].hi);
		for (size_t i = 0; i < p->maps.n; i++) {
			struct gap_ctx g = {c->out, &p->maps.v[i], 0};
			if (!special(&p->maps.v[i]) && !recorder_own(&p->maps.v[i]))
				ranges_gaps(&is, p->maps.v[i].lo, p->maps.v[i].hi, emit_unmap_part, &g);
		}
		for (size_t i = 0; i < now->n; i++) {
			const struct mapline *m = &now->v[i];
			if (special(m) || recorder_own(m))
				continue;
			if (strcmp(m->name, "[heap]") == 0) {
				bool had = false;
				for (size_t k = 0; k < p->maps.n; k++)
					if (strcmp(p->maps.v[k].name, "[heap]") == 0 && p->maps.v[k].hi != m->hi)
						fprintf(c->out, "brk 0x%" PRIx64 "\n", m->hi);
					else if (strcmp(p->maps.v[k].name, "[heap]") == 0)
						had = true;
				if (!had)
					ranges_add(&was, m->lo, m->hi);
				continue;
			}
			if (strcmp(m->name, "[stack]") == 0)
				continue; /* grows by the touches that follow */
			struct gap_ctx g = {c->out, m, 0};
			ranges_gaps(&was, m->lo, m->hi, emit_map_part, &g);
			/* same pages, other permissions: glibc's mprotect */
			for (size_t k = 0; k < p->maps.n; k++) {
				const struct mapline *o = &p->maps.v[k];
				uint64_t lo = o->lo > m->lo ? o->lo : m->lo, hi = o->hi < m->hi ? o->hi : m->hi;
				if (lo < hi && strncmp(o->perms, m->perms, 3) != 0)
					fprintf(c->out, "mprotect 0x%" PRIx64 " %" PRIu64 " %s\n", lo, hi - lo,
						prot_word(m->perms));
			}
		}
		free(was.r);
		/* pages of what went away are no longer present */
		for (size_t i = 0; i < p->maps.n; i++) {
			bool kept = false;
			for (size_t k = 0; k < is.n; k++)
				if (is.r[k][0] <= p->maps.v[i].lo && p->maps.v[i].hi <= is.r[k][1])
					kept = true;
			if (!kept)
				ranges_remove(&p->present, p->maps.v[i].lo, p->maps.v[i].hi);
		}
		free(is.r);
	}
	free(p->maps.v);
	p->maps = *now;
	memset(now, 0, sizeof *now);
}

/* level 2: VSZ, RSS, faults; 1: VSZ only (a U line: its RSS and faults
 * include what the program did since the last checkpoint). */
static void expect_numbers(struct conv *c, struct proc_state *p, long vsz, long rss, long minflt, int level)
{
	long dv = (vsz - p->base[0]) * 4, dr = (rss - p->base[1]) * 4, df = minflt - p->base[2] - p->between;
	const char *x = p->sfx;
	fprintf(c->out, "expect vsz - vsz0%s == %ldK\n", x, dv);
	if (level < 2)
		return;
	p->last_faults = minflt;
	fprintf(c->out, "expect rss - rss0%s == %ldK\n", x, dr);
	/* Faults, minor and major: vmviz's page cache starts empty, so its
	 * first read of a file page is major where the real one (cached) is
	 * minor. Only the calls' own: what the program's code did between
	 * calls is replayed by touch and read, whose faults vmviz counts its
	 * own way (no fault-around), so f0 moves past them on both sides.
	 * Within 5%: a real program takes some vmviz cannot know of
	 * (a page read before it is written). */
	long lo = df - df / 20, hi = df + df / 20;
	if (lo == hi)
		fprintf(c->out, "expect faults - f0%s == %ld\n", x, df);
	else {
		fprintf(c->out, "expect faults - f0%s >= %ld\n", x, lo);
		fprintf(c->out, "expect faults - f0%s <= %ld\n", x, hi);
	}
}

static void start_process(struct conv *c, struct proc_state *p, const long b[3], bool first)
{
	memcpy(p->base, b, sizeof p->base);
	memcpy(p->last, b, sizeof p->last);
	p->last_faults = b[2];
	p->between = 0;
	if (first) {
		fprintf(c->out, "say \"The program's address space at its first call (ASLR off); every page "
				"mapped then is faulted in first, so what follows counts only its own memory "
				"activity.\"\n");
		/* a process named as the program (the screen shows it), in
		 * place of the built-in a.out */
		fprintf(c->out, "old = pid\nmain = spawn %s\nproc main\nkill old\nmap clear\n", c->prog);
		uint64_t brk = 0;
		const char *exe = NULL;
		for (size_t i = 0; i < p->maps.n; i++) {
			const struct mapline *m = &p->maps.v[i];
			if (strcmp(m->name, "[vsyscall]") == 0 || recorder_own(m))
				continue; /* a gate page, not in the VMA tree: vmviz keeps its own */
			print_map(c->out, m, m->lo, m->hi);
			if (strcmp(m->name, "[heap]") == 0)
				brk = 1;
			/* the heap starts right after the program's last segment
			 * (its bss included) */
			if (!exe && m->name[0] == '/')
				exe = m->name;
			if (exe && brk != 1 && (m->lo == brk || (m->name[0] == '/' && strcmp(m->name, exe) == 0)))
				brk = m->hi;
		}
		if (brk > 1)
			fprintf(c->out, "map brk 0x%" PRIx64 "\n", brk);
		for (size_t i = 0; i < p->maps.n; i++) {
			const struct mapline *m = &p->maps.v[i];
			if (special(m) || recorder_own(m) || m->perms[0] != 'r')
				continue;
			struct gap_ctx g = {c->out, m, m->perms[1] == 'w' ? 'w' : 'r'};
			emit_touch_part(&g, m->lo, m->hi);
			if (m->perms[1] == 'w' && strcmp(m->name, "[heap]") != 0)
				ranges_add(&c->start_rw, m->lo, m->hi);
			ranges_add(&p->present, m->lo, m->hi);
		}
	}
	fprintf(c->out, "vsz0%s = vsz\nrss0%s = rss\nf0%s = faults\n", p->sfx, p->sfx, p->sfx);
	fprintf(c->out, "# real baseline: VSZ %ldK, RSS %ldK, %ld faults\n", b[0] * 4, b[1] * 4, b[2]);
	if (c->sampled) {
		/* until the first checkpoint, no call's faults are checked */
		fprintf(c->out, "fa%s = faults\n", p->sfx);
		p->syncing = true;
	}
}

static void present_run(struct conv *c, struct proc_state *p, uint64_t lo, uint64_t hi, char kind)
{
	struct gap_ctx g = {c->out, NULL, kind};
	ranges_gaps(&p->present, lo, hi, emit_touch_part, &g);
	ranges_add(&p->present, lo, hi);
}

/* libvmviz-record.so re-writes the start's writable pages in both
 * processes right after a fork (glibc's own data would otherwise fault
 * inside the next malloc, which vmviz does not model); so does vmviz. */
static void rewrite_start(struct conv *c)
{
	for (size_t i = 0; i < c->start_rw.n; i++)
		fprintf(c->out, "touch 0x%" PRIx64 " %" PRIu64 "\n", c->start_rw.r[i][0],
			c->start_rw.r[i][1] - c->start_rw.r[i][0]);
}

/* The child of p, made by vmviz's fork now. NULL if there are too many. */
static struct proc_state *fork_child(struct conv *c, struct proc_state *p, long child_pid)
{
	if (c->nprocs == 16)
		return NULL;
	switch_to(c, p);
	struct proc_state *ch = &c->procs[c->nprocs++];
	memset(ch, 0, sizeof *ch);
	ch->pid = child_pid;
	snprintf(ch->var, sizeof ch->var, "child%d", ++c->next_child);
	snprintf(ch->sfx, sizeof ch->sfx, "_c%d", c->next_child);
	fprintf(c->out, "say \"fork() = %ld: the child's calls follow as %s\"\n", child_pid, ch->var);
	fprintf(c->out, "%s = fork()\n", ch->var);
	/* the child inherits maps, present pages and blocks */
	for (size_t i = 0; i < p->maps.n; i++)
		maps_push(&ch->maps, &p->maps.v[i]);
	for (size_t i = 0; i < p->present.n; i++)
		ranges_add(&ch->present, p->present.r[i][0], p->present.r[i][1]);
	ch->ptrs = calloc(p->nptrs + 1, sizeof *ch->ptrs);
	if (ch->ptrs) {
		memcpy(ch->ptrs, p->ptrs, p->nptrs * sizeof *p->ptrs);
		ch->nptrs = ch->cap = p->nptrs;
		for (size_t i = 0; i < p->nptrs; i++) {
			int k = atoi(p->ptrs[i].name + 1);
			if (k > 0 && k < NAMES_MAX)
				c->refs[k]++;
		}
	}
	p->fork_pending = true;
	c->sum->children++;
	return ch;
}

/* Starts a caption line: `say "`, and the caller's source line when it
 * is known (rec_malloc.c:14: ...). */
static FILE *say_start(struct conv *c)
{
	fputs("say \"", c->out);
	if (c->where)
		fprintf(c->out, "%s: ", c->where);
	return c->out;
}

/* The source line of a call site, or NULL. */
static const char *site_line(const struct record_sites *s, uint64_t addr)
{
	size_t lo = 0, hi = s ? s->n : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->v[mid].addr == addr)
			return s->v[mid].where;
		if (s->v[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* One recorded call as vmviz commands. */
static void emit_call(struct conv *c, struct proc_state *p, const char *name, const uint64_t a[4], uint64_t ret,
		      const long *m, long present, int level)
{
	FILE *o = c->out;
	char what[512];
	const char *var = NULL;
	bool failed = false, exact = true;
	if (strcmp(name, "malloc") == 0 || strcmp(name, "calloc") == 0 || strcmp(name, "memalign") == 0 ||
	    strcmp(name, "aligned_alloc") == 0 || strcmp(name, "posix_memalign") == 0 ||
	    strcmp(name, "realloc") == 0) {
		bool is_realloc = strcmp(name, "realloc") == 0;
		if (strcmp(name, "malloc") == 0)
			snprintf(what, sizeof what, "malloc(%" PRIu64 ")", a[0]);
		else if (strcmp(name, "calloc") == 0)
			snprintf(what, sizeof what, "calloc(%" PRIu64 ", %" PRIu64 ")", a[0], a[1]);
		else if (is_realloc && a[0] == 0)
			snprintf(what, sizeof what, "realloc(NULL, %" PRIu64 ")", a[1]);
		else if (is_realloc)
			snprintf(what, sizeof what, "realloc(%s, %" PRIu64 ")",
				 ptr_name(p, a[0]) ? ptr_name(p, a[0]) : "?", a[1]);
		else
			snprintf(what, sizeof what, "%s(%" PRIu64 ", %" PRIu64 ")", name, a[0], a[1]);
		if (present > 0)
			fprintf(say_start(c), "%s = 0x%" PRIx64 " (faulted; %ld of its pages present)\"\n", what, ret, present);
		else
			fprintf(say_start(c), "%s = 0x%" PRIx64 "\"\n", what, ret);
		if (is_realloc && a[0] && !ptr_name(p, a[0])) {
			fprintf(o, "# not replayed: realloc of a block allocated before recording\n");
			c->sum->skipped_calls++;
			return;
		}
		if (is_realloc && a[0] && a[1] == 0) {
			/* glibc 2.36: realloc(p, 0) frees p */
			fprintf(o, "free 0x%" PRIx64 "\n", a[0]);
			ptr_forget(c, p, a[0]);
		} else if (!ret) {
			fprintf(o, "# %s failed in the real program: not replayed\n", what);
			failed = true;
		} else {
			char old[24] = "";
			if (is_realloc && a[0])
				snprintf(old, sizeof old, "%s", ptr_name(p, a[0]));
			if (strcmp(old, "p0") == 0 || strcmp(old, "m0") == 0)
				snprintf(old, sizeof old, "0x%" PRIx64, a[0]); /* a scratch name: by address */
			if (is_realloc && a[0])
				ptr_forget(c, p, a[0]);
			var = ptr_new(c, p, ret, 'p');
			if (strcmp(name, "malloc") == 0 || (is_realloc && !a[0]))
				fprintf(o, "%s = malloc(%" PRIu64 ")\n", var, is_realloc ? a[1] : a[0]);
			else if (strcmp(name, "calloc") == 0)
				fprintf(o, "%s = calloc(%" PRIu64 ", %" PRIu64 ")\n", var, a[0], a[1]);
			else if (is_realloc)
				fprintf(o, "%s = realloc(%s, %" PRIu64 ")\n", var, old, a[1]);
			else
				fprintf(o, "%s = memalign(%" PRIu64 ", %" PRIu64 ")\n", var, a[0], a[1]);
		}
	} else if (strcmp(name, "free") == 0) {
		const char *v = ptr_name(p, a[0]);
		fprintf(say_start(c), "free(%s)\"\n", v ? v : "?");
		if (!v) {
			fprintf(o, "# not replayed: free(0x%" PRIx64 "), a block allocated before recording\n", a[0]);
			c->sum->skipped_calls++;
			return;
		}
		if (strcmp(v + 1, "0") == 0)
			fprintf(o, "free 0x%" PRIx64 "\n", a[0]);
		else
			fprintf(o, "free(%s)\n", v);
		ptr_forget(c, p, a[0]);
	} else if (strcmp(name, "mmap") == 0) {
		int prot = (int)(a[1] & 15), flags = (int)(a[1] >> 4), fd = (int)a[3];
		char perms[5] = {prot & 1 ? 'r' : '-', prot & 2 ? 'w' : '-', prot & 4 ? 'x' : '-', flags & 1 ? 's' : 'p', 0};
		const char *pw = prot_word(perms);
		if (ret == (uint64_t)-1) {
			fprintf(o, "# mmap(%" PRIu64 ") failed in the real program: not replayed\n", a[0]);
			failed = true;
		} else if ((flags & 0x20) && !(flags & 0x10) && fd == -1) {
			snprintf(what, sizeof what, "mmap(%" PRIu64 ", %s%s)", a[0], pw, flags & 1 ? ", shared" : "");
			fprintf(say_start(c), "%s = 0x%" PRIx64 "\"\n", what, ret);
			var = ptr_new(c, p, ret, 'm');
			fprintf(o, "%s = mmap(%" PRIu64 ", %s%s)\n", var, a[0], pw, flags & 1 ? ", shared" : "");
		} else if (fd >= 0 && !(flags & 0x10) && a[2] == 0 && !((flags & 1) && (prot & 2)) && c->mmap_file[0] == '/' &&
			   !strpbrk(c->mmap_file, "\"\\")) {
			snprintf(what, sizeof what, "mmap(%" PRIu64 ", %s%s, \"%s\")", a[0], pw, flags & 1 ? ", shared" : "",
				 c->mmap_file);
			fprintf(say_start(c), "mmap(%" PRIu64 ", %s%s, file %s) = 0x%" PRIx64 "\"\n", a[0], pw,
				flags & 1 ? ", shared" : "", c->mmap_file, ret);
			var = ptr_new(c, p, ret, 'm');
			fprintf(o, "%s = %s\n", var, what);
		} else {
			/* A fixed address, a file from an offset or shared and
			 * writable: vmviz's mmap has none of them, so the mapping
			 * is placed as the kernel placed it. */
			struct mapline ml = {.lo = ret, .hi = ret + ((a[0] + PAGE - 1) & ~(PAGE - 1)), .off = 0};
			snprintf(ml.perms, sizeof ml.perms, "%s", perms);
			snprintf(ml.name, sizeof ml.name, "%s", fd >= 0 ? c->mmap_file : "");
			ml.off = fd >= 0 ? a[2] : 0;
			fprintf(say_start(c), "mmap(%" PRIu64 ", %s%s%s%s) = 0x%" PRIx64 " (placed with map: vmviz's mmap "
				   "has no fixed-address, file-offset or shared writable file form)\"\n",
				a[0], pw, fd >= 0 ? ", file " : "", ml.name, flags & 0x10 ? ", MAP_FIXED" : "", ret);
			if (flags & 0x10)
				fprintf(o, "munmap 0x%" PRIx64 " %" PRIu64 "\n", ml.lo, ml.hi - ml.lo);
			print_map(o, &ml, ml.lo, ml.hi);
			exact = false;
		}
	} else if (strcmp(name, "munmap") == 0) {
		fprintf(say_start(c), "munmap(0x%" PRIx64 ", %" PRIu64 ")\"\n", a[0], a[1]);
		if (ret) {
			fprintf(o, "# failed in the real program: not replayed\n");
			failed = true;
		} else {
			fprintf(o, "munmap 0x%" PRIx64 " %" PRIu64 "\n", a[0], a[1]);
			ranges_remove(&p->present, a[0], a[0] + a[1]);
			ptr_forget(c, p, a[0]);
		}
	} else if (strcmp(name, "mprotect") == 0) {
		char perms[5] = {a[2] & 1 ? 'r' : '-', a[2] & 2 ? 'w' : '-', a[2] & 4 ? 'x' : '-', 'p', 0};
		fprintf(say_start(c), "mprotect(0x%" PRIx64 ", %" PRIu64 ", %s)\"\n", a[0], a[1], prot_word(perms));
		if (ret) {
			fprintf(o, "# failed in the real program: not replayed\n");
			failed = true;
		} else {
			fprintf(o, "mprotect 0x%" PRIx64 " %" PRIu64 " %s\n", a[0], a[1], prot_word(perms));
		}
	} else if (strcmp(name, "mremap") == 0) {
		fprintf(say_start(c), "mremap(0x%" PRIx64 ", %" PRIu64 ", %" PRIu64 ") = 0x%" PRIx64 "\"\n", a[0], a[1], a[2],
			ret);
		if (ret == (uint64_t)-1) {
			fprintf(o, "# failed in the real program: not replayed\n");
			failed = true;
		} else {
			ptr_forget(c, p, a[0]);
			var = ptr_new(c, p, ret, 'm');
			fprintf(o, "%s = mremap(0x%" PRIx64 ", %" PRIu64 ", %" PRIu64 "%s)\n", var, a[0], a[1], a[2],
				a[3] & 1 ? "" : ", fixed");
		}
	} else if (strcmp(name, "brk") == 0 || strcmp(name, "sbrk") == 0) {
		bool sb = name[0] == 's';
		fprintf(say_start(c), "%s(%s0x%" PRIx64 ")\"\n", name, sb && (int64_t)a[0] < 0 ? "-" : "",
			sb && (int64_t)a[0] < 0 ? -a[0] : a[0]);
		if (sb)
			fprintf(o, "brk %s%" PRId64 "\n", (int64_t)a[0] >= 0 ? "+" : "", (int64_t)a[0]);
		else
			fprintf(o, "brk 0x%" PRIx64 "\n", a[0]);
	} else if (strcmp(name, "fork") == 0) {
		if ((int64_t)ret <= 0) {
			fprintf(say_start(c), "fork() failed in the real program: not replayed\"\n");
			failed = true;
		} else if (!proc_of(c, (long)ret) && !fork_child(c, p, (long)ret)) {
			fprintf(o, "# not replayed: fork (more than 16 processes)\n");
			failed = true;
		} else {
			switch_to(c, p);
			p->fork_pending = false;
			rewrite_start(c);
		}
	} else {
		fprintf(o, "# not replayed: %s\n", name);
		c->sum->skipped_calls++;
		return;
	}
	c->sum->calls++;
	if (failed)
		return;
	if (var && exact)
		fprintf(o, "expect %s == 0x%" PRIx64 "\n", var, ret);
	if (level > 0)
		expect_numbers(c, p, m[0], m[1], m[2], level);
	if (level == 2 && c->sampled) {
		/* the faults of the calls until the next checkpoint are not its */
		fprintf(o, "fa%s = faults\n", p->sfx);
		p->syncing = true;
	}
}

bool record_short_line(const char *line, const char **name, uint64_t a[4], uint64_t *ret, uint64_t *site,
		       uint64_t *prev_ptr, uint64_t *prev_site)
{
	char *end;
	strtol(line + 1, &end, 16);
	while (*end == ' ')
		end++;
	char code = *end++;
	static const char *const names[][2] = {{"m", "malloc"},	  {"f", "free"},	   {"c", "calloc"},
					       {"r", "realloc"},  {"M", "memalign"},	   {"L", "aligned_alloc"},
					       {"P", "posix_memalign"}};
	*name = NULL;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i][0][0] == code)
			*name = names[i][1];
	if (!*name)
		return false;
	int64_t f[4] = {0};
	int want = code == 'f' ? 2 : code == 'm' ? 3 : 4;
	for (int n = 0; n < want; n++) {
		const char *s = end;
		f[n] = (int64_t)strtoll(s, &end, 16);
		if (end == s)
			return false;
	}
	int k = 0;
	a[0] = a[1] = a[2] = a[3] = 0;
	*ret = 0;
	if (code == 'f') {
		*prev_ptr = a[0] = *prev_ptr + (uint64_t)f[k++];
	} else {
		a[0] = code == 'r' ? (*prev_ptr += (uint64_t)f[k++]) : (uint64_t)f[k++];
		if (code != 'm')
			a[1] = (uint64_t)f[k++];
		*prev_ptr = *ret = *prev_ptr + (uint64_t)f[k++];
	}
	*prev_site = *site = *prev_site + (uint64_t)f[k];
	return true;
}

/* Up to max hex numbers from s (after the line's tag); how many. */
static int hex_fields(const char *s, long *out, int max)
{
	int n = 0;
	while (n < max) {
		char *end;
		unsigned long long v = strtoull(s, &end, 16);
		if (end == s)
			break;
		out[n++] = (long)v;
		s = end;
	}
	return n;
}

int record_convert(FILE *in, FILE *out, const char *title, const struct record_sites *sites,
		   struct record_summary *sum)
{
	struct conv c = {.out = out, .cur = 0, .sum = sum};
	/* spawn takes 1 to 15 characters without '/': the program's base name */
	const char *base = title;
	for (const char *t = title; *t && *t != ' '; t++)
		if (*t == '/')
			base = t + 1;
	size_t n = 0;
	for (const char *t = base; *t && *t != ' ' && n < sizeof c.prog - 1; t++)
		if (isalnum((unsigned char)*t) || *t == '_' || *t == '-' || *t == '.')
			c.prog[n++] = *t;
	if (!n)
		snprintf(c.prog, sizeof c.prog, "prog");
	memset(sum, 0, sizeof *sum);
	char line[LINE_MAX_];
	struct maps pending = {0};
	char pending_tag = 0;
	long pending_pid = 0;
	fprintf(out, "# Recorded by vmviz record: %s\n", title);
	fprintf(out, "# options: --frames 262144 --swap 64\n");
	fprintf(out, "# Run: vmviz run --check FILE (passes when vmviz matches the real process).\n");
	while (fgets(line, sizeof line, in)) {
		char tag = line[0];
		long pid = 0;
		if (tag == 'M') {
			struct mapline m;
			if (parse_mapline(line + 2, &m))
				maps_push(&pending, &m);
			continue;
		}
		if (tag == 'i' || tag == 'm' || tag == 'a') {
			pending_tag = tag;
			pending_pid = strtol(line + 2, NULL, 16);
			pending.n = 0;
			continue;
		}
		if (tag == 'e') {
			struct proc_state *p = proc_of(&c, pending_pid);
			if (pending_tag == 'i' && !p && c.nprocs == 0) {
				p = &c.procs[c.nprocs++];
				memset(p, 0, sizeof *p);
				p->pid = pending_pid;
			}
			if (p) {
				if (pending_tag == 'm')
					switch_to(&c, p);
				apply_maps(&c, p, &pending, pending_tag == 'm');
			}
			continue;
		}
		if (tag == 'T') {
			unsigned long long lo, hi;
			char kind;
			struct proc_state *p = &c.procs[c.cur];
			if (c.nprocs && sscanf(line + 1, "%llx %llx %c", &lo, &hi, &kind) == 3)
				present_run(&c, p, lo, hi, kind);
			continue;
		}
		if (tag == 'B') {
			long f[4];
			if (hex_fields(line + 1, f, 4) != 4)
				continue;
			pid = f[0];
			long b[3] = {f[1], f[2], f[3]};
			struct proc_state *p = proc_of(&c, pid);
			if (!p)
				continue;
			switch_to(&c, p);
			sum->started = true;
			start_process(&c, p, b, p == &c.procs[0]);
			continue;
		}
		if (tag == 'K') {
			long f[2] = {0, 0};
			hex_fields(line + 1, f, 2);
			long child_pid = f[0], parent_pid = f[1];
			struct proc_state *p = proc_of(&c, child_pid), *parent = proc_of(&c, parent_pid);
			if (!p && parent)
				p = fork_child(&c, parent, child_pid);
			if (p) {
				switch_to(&c, p);
				fprintf(out, "say \"The child %s runs (real pid %ld).\"\n", p->var, p->pid);
				rewrite_start(&c);
			}
			continue;
		}
		if (tag == 'E') {
			long f[4];
			if (hex_fields(line + 1, f, 4) != 4)
				continue;
			pid = f[0];
			const long e[3] = {f[1], f[2], f[3]};
			struct proc_state *p = proc_of(&c, pid);
			if (!p)
				continue;
			switch_to(&c, p);
			memcpy(p->last, e, sizeof p->last);
			p->between += e[2] - p->last_faults;
			p->last_faults = e[2];
			if (!p->syncing)
				fprintf(out, "fa%s = faults\n", p->sfx);
			p->syncing = true;
			continue;
		}
		if (tag == 'N') {
			char *path = strchr(line + 2, ' ');
			snprintf(c.mmap_file, sizeof c.mmap_file, "%s", path ? path + 1 : "");
			c.mmap_file[strcspn(c.mmap_file, "\n")] = 0;
			continue;
		}
		if (tag == 'X') {
			fprintf(out, "# thread %ld: its calls are not recorded (only the main thread's are)\n",
				strtol(line + 1, NULL, 16));
			sum->threads_skipped++;
			continue;
		}
		if (tag == 'Z') {
			long f[2] = {0, 0};
			hex_fields(line + 1, f, 2);
			long sig = f[1];
			sum->crash_signal = (int)sig;
			fprintf(out, "say \"The program died here of signal %ld.\"\n", sig);
			continue;
		}
		if (tag == 'V') {
			c.sampled = true;
			fprintf(out, "# numbers at every %ld-th allocator call and at each mapping call (vmviz record --every)\n",
				strtol(line + 2, NULL, 16));
			continue;
		}
		if (tag == 'Q') {
			char name[32];
			unsigned long upid;
			unsigned long long a0, a1, ret, site = 0;
			if (sscanf(line + 1, "%lx %31s %llx %llx %llx %llx", &upid, name, &a0, &a1, &ret, &site) < 5)
				continue;
			c.where = site_line(sites, site);
			struct proc_state *p = proc_of(&c, (long)upid);
			if (!p)
				continue;
			switch_to(&c, p);
			uint64_t args[4] = {a0, a1, 0, 0};
			emit_call(&c, p, name, args, ret, NULL, 0, 0);
			continue;
		}
		if (tag == 's') {
			/* an allocator call that changed no number: the last ones */
			uint64_t args[4], ret, site;
			const char *name;
			struct proc_state *p = proc_of(&c, strtol(line + 1, NULL, 16));
			if (!p || !record_short_line(line, &name, args, &ret, &site, &p->prev_ptr, &p->prev_site))
				continue;
			switch_to(&c, p);
			c.where = site_line(sites, site);
			if (p->syncing) {
				fprintf(out, "f0%s = f0%s + faults - fa%s\n", p->sfx, p->sfx, p->sfx);
				p->syncing = false;
			}
			emit_call(&c, p, name, args, ret, p->last, 0, 2);
			continue;
		}
		if (tag == 'P') {
			long mode = strtol(line + 1, NULL, 16);
			fprintf(out, "# numbers after every call; %s\n",
				mode == 1   ? "unchanged ones noticed by a perf ring of faults and mappings"
				: mode == 2 ? "unchanged ones noticed by a perf ring of user-mode faults (a fault "
					      "inside a system call shows at the next measurement)"
					    : "each measured (no perf ring: the kernel refused it, or VMVIZ_RECORD_PERF=0)");
			continue;
		}
		if (tag == 'C' || tag == 'U') {
			char name[32];
			unsigned long long a[4], ret, v[4], site = 0;
			unsigned long upid;
			if (sscanf(line + 1, "%lx %31s %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx", &upid, name, &a[0],
				   &a[1], &a[2], &a[3], &ret, &v[0], &v[1], &v[2], &v[3], &site) < 11)
				continue;
			c.where = site_line(sites, site);
			struct proc_state *p = proc_of(&c, (long)upid);
			if (!p)
				continue;
			switch_to(&c, p);
			if (p->syncing && tag == 'C') {
				fprintf(out, "f0%s = f0%s + faults - fa%s\n", p->sfx, p->sfx, p->sfx);
				p->syncing = false;
			}
			uint64_t args[4] = {a[0], a[1], a[2], a[3]};
			long m[3] = {(long)v[0], (long)v[1], (long)v[2]};
			if (strcmp(name, "fork") == 0)
				p->prev_ptr = p->prev_site = 0; /* the s lines count afresh */
			if (tag == 'C')
				memcpy(p->last, m, sizeof m);
			emit_call(&c, p, name, args, ret, m, (long)v[3], tag == 'C' ? 2 : 1);
		}
	}
	free(pending.v);
	free(c.start_rw.r);
	for (int i = 0; i < c.nprocs; i++) {
		free(c.procs[i].maps.v);
		free(c.procs[i].present.r);
		free(c.procs[i].ptrs);
	}
	return ferror(in) ? -1 : 0;
}
