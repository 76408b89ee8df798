/* malloc_mem.c - how the simulated malloc reaches memory: chunk words in
 * the simulated address space, main_arena's words in struct heap, and the
 * abort that ends the process when glibc finds its heap corrupted. */
#include "internal.h"
#include "malloc_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* x86-64 and i386 glibc 2.36. &main_arena measured with setarch -R (the
 * unsorted bin's address read from a freed chunk's fd, less the offset of
 * bins[0] - 2*SIZE_SZ): 0x7ffff7fa6c60 on x86-64, 0xf7fa97c0 with gcc -m32,
 * both in libc's writable data. */
static const struct mgeom g64 = {
	.sz = 8, .minsize = 32, .fast_shift = 4, .nfastbins = 10, .max_fast = 128,
	.min_large = 1024, .small_corr = 0, .mmap_thr_max = 32u << 20,
	.ptrdiff_max = INT64_MAX, .arena = 0x7ffff7fa6c60, .arena_top = 96,
	.tcache_entries = 128, .tcache_key = 0x9a8b7c6d5e4f3021ull,
};
static const struct mgeom g32 = {
	.sz = 4, .minsize = 16, .fast_shift = 3, .nfastbins = 11, .max_fast = 64,
	.min_large = 1008, .small_corr = 1, .mmap_thr_max = 512u << 10,
	.ptrdiff_max = INT32_MAX, .arena = 0xf7fa97c0, .arena_top = 56,
	.tcache_entries = 128, .tcache_key = 0x5e4f3021u,
};

const struct mgeom *mgeom_of(const struct vm *vm)
{
	return vm->arch.kind == ARCH_X86 ? &g32 : &g64;
}

bool mctx_init(struct mctx *m, struct vm *vm, int pid)
{
	memset(m, 0, sizeof *m);
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return false;
	}
	m->vm = vm;
	m->pid = pid;
	m->h = &p->heap;
	m->g = mgeom_of(vm);
	vm->err[0] = 0;
	if (!m->h->arena_ready)
		m_init_state(m);
	return true;
}

/* main_arena's top, last_remainder and bins[] as a run of words from
 * &main_arena.top: where bin headers' fd/bk (and the initial top's size)
 * are read and written. NULL for any other address. */
static vaddr_t *arena_word(struct mctx *m, vaddr_t a)
{
	vaddr_t base = m->g->arena + m->g->arena_top;
	if (a < base || (a - base) % m->g->sz)
		return NULL;
	uint64_t i = (a - base) / m->g->sz;
	if (i == 0)
		return &m->h->top;
	if (i == 1)
		return &m->h->last_remainder;
	return i - 2 < 2 * HEAP_NBINS - 2 ? &m->h->bins[i - 2] : NULL;
}

/* The process died under an access (SIGSEGV on a wild pointer, OOM). */
static _Noreturn void died(struct mctx *m)
{
	longjmp(m->out, 1);
}

/* The frame of a's page when the access can be nothing but a hit: present,
 * already accessed (and for a write, writable and dirty), no TLB being
 * simulated. The replacement policy still sees the hit. NO_FRAME otherwise. */
static uint32_t hit_page(struct mctx *m, vaddr_t a, bool write)
{
	struct vm *vm = m->vm;
	if (vm->tlb.n)
		return NO_FRAME;
	pte_t pte = vm_pte(vm, m->pid, a);
	pte_t need = PTE_P | PTE_A | (write ? PTE_W | PTE_D : 0);
	if ((pte & need) != need)
		return NO_FRAME;
	uint32_t pfn = (uint32_t)PTE_NUM(pte);
	if (pfn != vm->zero_pfn)
		policy_hit(vm->policy, pfn);
	if (write)
		vm->frames[pfn].dirty = 1;
	return pfn;
}

/* One access by the allocator, through the engine: a fault shows in the
 * event log like any other; a plain hit is left out (the log would drown
 * in header reads), and does not become the "last access" the screen and
 * translate show: that stays the program's own. */
static void access_mem(struct mctx *m, vaddr_t a, void *buf, uint64_t len, bool write)
{
	struct event_log *log = &m->vm->log;
	while (len) {
		uint64_t room = m->vm->arch.page_size - PAGE_OFF(&m->vm->arch, a);
		uint64_t n = len < room ? len : room;
		uint32_t direct = hit_page(m, a, write);
		if (direct != NO_FRAME) {
			clock_charge(&m->vm->clock, COST_ACCESS, 0); /* a hit still reaches memory */
			/* Zeroes into a frame without bytes cost nothing. */
			if (write)
				frame_store(m->vm, direct, PAGE_OFF(&m->vm->arch, a), buf, n);
			else
				memcpy(buf, frame_read(m->vm, direct) + PAGE_OFF(&m->vm->arch, a), n);
			a += n;
			buf = (uint8_t *)buf + n;
			len -= n;
			continue;
		}
		uint64_t seq = log->next_seq;
		m->h->storing = true;
		int rc = write ? vm_write_buf(m->vm, m->pid, a, buf, n) : vm_read_buf(m->vm, m->pid, a, buf, n);
		if (rc < 0 || !vm_proc(m->vm, m->pid))
			died(m);
		m->h->storing = false;
		bool quiet = true;
		for (uint64_t q = seq; q < log->next_seq && quiet; q++) {
			enum event_kind k = event_get(log, q)->kind;
			quiet = k == EV_ACCESS || k == EV_TLB_HIT || k == EV_TLB_MISS || k == EV_WALK || k == EV_HIT;
		}
		if (quiet)
			event_log_truncate(log, seq);
		a += n;
		buf = (uint8_t *)buf + n;
		len -= n;
	}
}

/* No call of a sound heap comes near this many word accesses; a free list
 * the program corrupted into a cycle would, and a real process would spin
 * there forever. vmviz ends it instead (as a user's Ctrl-C would). */
#define WORDS_PER_CALL_MAX (64u << 20)

static void count_word(struct mctx *m)
{
	if (++m->words < WORDS_PER_CALL_MAX)
		return;
	struct event *ev = event_push(&m->vm->log, strcmp(m->op, "free") == 0 ? EV_FREE : EV_MALLOC, m->pid);
	snprintf(ev->text, sizeof ev->text, "%s", m->op);
	ev->va = m->op_ptr;
	ev->a = m->op_size;
	ev->level = AW_ABORT;
	ev->why = "malloc loops on a corrupted free list (vmviz stops it)";
	vm_kill(m->vm, m->pid, "killed");
	snprintf(m->vm->err, sizeof m->vm->err, "%s: the process looped in glibc's lists, killed", m->op);
	longjmp(m->out, 1);
}

uint64_t m_rd(struct mctx *m, vaddr_t a)
{
	count_word(m);
	vaddr_t *w = arena_word(m, a);
	if (w)
		return *w;
	uint8_t b[8] = {0};
	access_mem(m, a, b, m->g->sz, false);
	uint64_t v = 0;
	for (unsigned i = 0; i < m->g->sz; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

void m_wr(struct mctx *m, vaddr_t a, uint64_t v)
{
	count_word(m);
	vaddr_t *w = arena_word(m, a);
	if (m->g->sz == 4)
		v &= 0xffffffffu;
	if (w) {
		*w = v;
		return;
	}
	uint8_t b[8];
	for (unsigned i = 0; i < m->g->sz; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	access_mem(m, a, b, m->g->sz, true);
}

uint16_t m_rd16(struct mctx *m, vaddr_t a)
{
	uint8_t b[2];
	access_mem(m, a, b, 2, false);
	return (uint16_t)(b[0] | b[1] << 8);
}

void m_wr16(struct mctx *m, vaddr_t a, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	access_mem(m, a, b, 2, true);
}

void m_fill(struct mctx *m, vaddr_t a, uint8_t byte, uint64_t len)
{
	uint8_t buf[4096];
	memset(buf, byte, sizeof buf);
	while (len) {
		uint64_t n = len < sizeof buf ? len : sizeof buf;
		access_mem(m, a, buf, n, true);
		a += n;
		len -= n;
	}
}

void m_copy(struct mctx *m, vaddr_t dst, vaddr_t src, uint64_t len)
{
	uint8_t buf[4096];
	while (len) {
		uint64_t n = len < sizeof buf ? len : sizeof buf;
		access_mem(m, src, buf, n, false);
		access_mem(m, dst, buf, n, true);
		src += n;
		dst += n;
		len -= n;
	}
}

_Noreturn void m_abort(struct mctx *m, const char *msg)
{
	m->abort_msg = msg;
	struct event *ev = event_push(&m->vm->log, strcmp(m->op, "free") == 0 ? EV_FREE : EV_MALLOC, m->pid);
	snprintf(ev->text, sizeof ev->text, "%s", m->op);
	ev->va = m->op_ptr;
	ev->a = m->op_size;
	ev->level = AW_ABORT;
	ev->why = msg;
	vm_kill(m->vm, m->pid, "killed by SIGABRT");
	snprintf(m->vm->err, sizeof m->vm->err, "%s", msg);
	longjmp(m->out, 1);
}

uint64_t m_request2size(const struct mgeom *g, uint64_t req)
{
	uint64_t s = req + g->sz + MALLOC_ALIGN_MASK;
	return s < g->minsize ? g->minsize : s & ~(uint64_t)MALLOC_ALIGN_MASK;
}

uint64_t m_checked_request2size(const struct mgeom *g, uint64_t req)
{
	return req > g->ptrdiff_max ? 0 : m_request2size(g, req);
}

bool m_misaligned_chunk(const struct mgeom *g, vaddr_t p)
{
	/* With 4-byte size fields the header is 8 bytes: the user pointer,
	 * not the chunk, is what must be 16-aligned. */
	return ((g->sz == 8 ? p : p + 2 * g->sz) & MALLOC_ALIGN_MASK) != 0;
}

vaddr_t bin_at(struct mctx *m, unsigned i)
{
	/* The header of bin i overlays bins[2(i-1)] as its fd. */
	return m->g->arena + m->g->arena_top + 2 * m->g->sz + (vaddr_t)(i - 1) * 2 * m->g->sz - 2 * m->g->sz;
}

vaddr_t m_protect_ptr(vaddr_t pos, vaddr_t ptr)
{
	return (pos >> 12) ^ ptr;
}
