/* test_fault.c - faults as Linux takes them: demand zero, zero page, swap,
 * file pages, copy-on-write, SIGSEGV, stack growth, OOM. */
#include "testutil.h"

#include "internal.h"

static void test_first_write_is_minor_fault(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = mmap(16K)");
	uint64_t rss = cur(s)->rss, min = cur(s)->minflt;
	OK(s, "p[0] = 7");
	assert_int_equal(s->last_fault, FAULT_MINOR);
	assert_int_equal(cur(s)->rss, rss + 1);
	assert_int_equal(cur(s)->minflt, min + 1);
	OK(s, "p[1] = 8");
	assert_int_equal(s->last_fault, FAULT_NONE);
	assert_int_equal(cur(s)->minflt, min + 1);
	OK(s, "expect p[0] == 7");
	session_free(s);
}

static void test_read_maps_zero_page(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = mmap(8K)");
	uint64_t rss = cur(s)->rss;
	OK(s, "x = p[100]");
	assert_int_equal(var(s, "x"), 0);
	assert_int_equal(cur(s)->rss, rss); /* the zero page is not counted */
	assert_int_equal(PTE_NUM(vm_pte(s->vm, s->vm->cur, var(s, "p"))), s->vm->zero_pfn);
	OK(s, "p[100] = 1");                /* now a private frame */
	assert_int_equal(cur(s)->rss, rss + 1);
	assert_int_not_equal(PTE_NUM(vm_pte(s->vm, s->vm->cur, var(s, "p"))), s->vm->zero_pfn);
	session_free(s);
}

static void test_swap_out_and_in_byte_for_byte(void **state)
{
	(void)state;
	struct session *s = new_session(8, 64, POLICY_FIFO);
	OK(s, "p = mmap(64K)");
	OK(s, "write p \"hello, swap\"");
	OK(s, "touch p+4096 60K"); /* 15 more pages into 2..6 free frames: p goes out */
	assert_true(PTE_SWAPPED(vm_pte(s->vm, s->vm->cur, var(s, "p"))));
	assert_true(s->vm->swap.used > 0);
	uint64_t maj = cur(s)->majflt;
	OK(s, "x = p[4]");
	assert_int_equal(var(s, "x"), 'o');
	assert_int_equal(s->last_fault, FAULT_MAJOR);
	assert_int_equal(cur(s)->majflt, maj + 1);
	OK(s, "expect p[7] == 115"); /* 's' */
	session_free(s);
}

/* A page full of data is stored whole in swap; a sparse one word by word:
 * both come back exactly. */
static void test_swap_full_and_sparse_pages(void **state)
{
	(void)state;
	struct session *s = new_session(8, 64, POLICY_FIFO);
	OK(s, "p = mmap(64K)");
	uint8_t full[4096], sparse[4096] = {0}, back[4096];
	for (int i = 0; i < 4096; i++)
		full[i] = (uint8_t)(i * 7 + 3);
	sparse[4095] = 9;
	sparse[8] = 1;
	assert_int_equal(vm_write_buf(s->vm, 100, var(s, "p"), full, 4096), 0);
	assert_int_equal(vm_write_buf(s->vm, 100, var(s, "p") + 4096, sparse, 4096), 0);
	OK(s, "touch p+8K 56K");
	assert_true(PTE_SWAPPED(vm_pte(s->vm, 100, var(s, "p"))));
	assert_true(PTE_SWAPPED(vm_pte(s->vm, 100, var(s, "p") + 4096)));
	OK(s, "expect p[100] == 191");     /* peeked from swap, not faulted */
	OK(s, "expect p[8191] == 9");
	assert_int_equal(vm_read_buf(s->vm, 100, var(s, "p"), back, 4096), 0);
	assert_memory_equal(back, full, 4096);
	assert_int_equal(vm_read_buf(s->vm, 100, var(s, "p") + 4096, back, 4096), 0);
	assert_memory_equal(back, sparse, 4096);
	session_free(s);
}

/* After fork, a shared page that went to swap comes back into one frame for
 * both processes (the second finds it in the swap cache), still shared
 * copy-on-write. */
static void test_swap_cache_keeps_fork_sharing(void **state)
{
	(void)state;
	struct session *s = new_session(12, 64, POLICY_FIFO);
	OK(s, "p = mmap(4K)");
	OK(s, "p[0] = 5");
	OK(s, "c = fork()");
	OK(s, "q = mmap(64K)");
	OK(s, "touch q"); /* the parent pushes everything out */
	assert_true(PTE_SWAPPED(vm_pte(s->vm, 100, var(s, "p"))));
	assert_true(PTE_SWAPPED(vm_pte(s->vm, 101, var(s, "p"))));
	OK(s, "x = p[0]");
	assert_int_equal(s->last_fault, FAULT_MAJOR);
	OK(s, "proc c");
	OK(s, "x = p[0]");
	assert_int_equal(s->last_fault, FAULT_MINOR); /* the swap cache: no I/O */
	uint64_t f = PTE_NUM(vm_pte(s->vm, 101, var(s, "p")));
	assert_int_equal(PTE_NUM(vm_pte(s->vm, 100, var(s, "p"))), f);
	assert_int_equal(s->vm->frames[f].mapcount, 2);
	OK(s, "p[0] = 6"); /* copy-on-write, as before it was swapped */
	assert_int_not_equal(PTE_NUM(vm_pte(s->vm, 101, var(s, "p"))), f);
	OK(s, "proc 100");
	OK(s, "expect p[0] == 5");
	session_free(s);
}

/* A page swapped in by a read and evicted again unchanged is not written a
 * second time; once written, it is. */
static void test_clean_swapped_page_not_rewritten(void **state)
{
	(void)state;
	struct session *s = new_session(8, 64, POLICY_FIFO);
	OK(s, "p = mmap(4K)");
	OK(s, "p[0] = 1");
	OK(s, "q = mmap(64K)");
	OK(s, "touch q");
	OK(s, "x = p[0]"); /* back in, by a read */
	OK(s, "swap");     /* the slot still holds it, and says so */
	char line[64];
	snprintf(line, sizeof line, "page 0x%llx  swap cache: also in frame %u\n",
		 (unsigned long long)var(s, "p"), (unsigned)PTE_NUM(vm_pte(s->vm, 100, var(s, "p"))));
	assert_non_null(strstr(s->out.s, line));
	uint64_t outs = s->vm->swapouts, outs_p = cur(s)->swapouts;
	OK(s, "touch q");  /* out again */
	assert_true(PTE_SWAPPED(vm_pte(s->vm, 100, var(s, "p"))));
	assert_true(s->vm->swapouts - outs < 16); /* q's pages were written, p's not */
	uint64_t before = s->vm->swapouts;
	OK(s, "x = p[0]");
	OK(s, "expect p[0] == 1");
	OK(s, "p[0] = 2");  /* dirty now */
	OK(s, "touch q");
	assert_true(s->vm->swapouts > before);
	OK(s, "expect p[0] == 2");
	assert_true(cur(s)->swapouts > outs_p);
	session_free(s);
}

/* With swap full, a slot that only backs a resident page is taken back. */
static void test_full_swap_takes_cached_slots(void **state)
{
	(void)state;
	/* 10 anonymous pages, 6 frames, 6 slots: pages read back keep their
	 * slots until swap runs out and the next eviction needs one. */
	struct session *s = new_session(8, 6, POLICY_FIFO);
	OK(s, "p = mmap(16K)");
	OK(s, "q = mmap(16K)");
	for (int round = 0; round < 4; round++) {
		OK(s, "touch p");
		OK(s, "x = q[0]");
		OK(s, "x = q[4096]");
		OK(s, "x = q[8192]");
		OK(s, "x = q[12288]");
		OK(s, "touch q");
	}
	assert_int_equal(s->vm->swap.used, 6);
	assert_int_equal(s->vm->ooms, 0);
	assert_int_equal(s->vm->nprocs, 1);
	session_free(s);
}

/* CLOCK's reference bit is the PTE's Accessed bit: the sweep clears both. */
static void test_clock_sweep_clears_accessed_bits(void **state)
{
	(void)state;
	struct session *s = new_session(8, 64, POLICY_CLOCK);
	OK(s, "a = mmap(16K)");
	OK(s, "touch a"); /* 6 user frames, 8 pages: the hand sweeps */
	for (uint32_t f = s->vm->kernel_frames; f < s->vm->nframes; f++) {
		const struct frame *fr = &s->vm->frames[f];
		if (!fr->rmap)
			continue;
		pte_t pte = vm_pte(s->vm, fr->rmap->pid, fr->rmap->vpn << 12);
		assert_int_equal(!!(pte & PTE_A), policy_refbit(s->vm->policy, f));
	}
	session_free(s);
}

static void test_segv_cases(void **state)
{
	(void)state;
	static const char *const bad[] = {"write 0x10 1", "write 0x555555554000 1", "read 0xffff800000001000",
					  "write 0x555555555000 1", "write 0x800000000000 1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct session *s = new_session(32, 64, POLICY_CLOCK);
		OK(s, bad[i]);
		assert_int_equal(s->last_fault, FAULT_SEGV);
		assert_int_equal(s->vm->nprocs, 0);
		/* Every frame is free again, but the file pages it read: those
		 * stay in the page cache, mapped by nobody. */
		uint32_t cached = 0;
		for (uint32_t f = s->vm->kernel_frames; f < s->vm->nframes; f++) {
			assert_int_equal(s->vm->frames[f].mapcount, 0);
			assert_true(s->vm->frames[f].kind == FRAME_FREE || s->vm->frames[f].kind == FRAME_FILE);
			cached += s->vm->frames[f].kind == FRAME_FILE;
		}
		assert_int_equal(cached, 3); /* its code, its data, libc's code */
		assert_int_equal(s->vm->free_frames + cached, s->vm->nframes - s->vm->kernel_frames);
		assert_non_null(strstr(s->out.s, "Segmentation fault"));
		if (strstr(bad[i], "0x8000000"))
			assert_non_null(strstr(s->out.s, "non-canonical address"));
		session_free(s);
	}
}

/* The walk kept for the screen after a SIGSEGV is the one made for that
 * access, not what an earlier one left behind. */
static void test_segv_keeps_its_walk(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(8192)");
	OK(s, "p[0] = 1"); /* a walk that ends at a frame */
	OK(s, "spawn cat");
	OK(s, "proc 101");
	OK(s, "p[0] = 3"); /* no VMA there in cat */
	const struct walk *w = &s->vm->last;
	assert_int_equal(w->fault, FAULT_SEGV);
	assert_true(w->valid);
	assert_int_equal(w->pid, 101);
	assert_int_equal(w->va, var(s, "p"));
	assert_false(w->present);
	assert_int_equal(w->pfn, -1);
	assert_true(w->levels >= 1);
	assert_int_equal(w->entry[w->levels - 1], 0); /* the walk stops at an empty entry */
	OK(s, "proc 100");
	OK(s, "write 0x555555555000 1"); /* read-only text: mapped, refused */
	assert_int_equal(w->fault, FAULT_SEGV);
	assert_true(w->present);
	assert_int_equal(w->levels, s->vm->arch.levels);
	assert_int_equal(w->paddr >> s->vm->arch.page_shift, (uint64_t)w->pfn);
	session_free(s);
}

/* mmap(shared) is one piece of memory for the parent and its children,
 * whoever touches a page first, before or after fork, in memory or in swap. */
static void test_shared_anonymous_memory(void **state)
{
	(void)state;
	struct session *s = new_session(12, 32, POLICY_CLOCK);
	OK(s, "m = mmap(16K, rw, shared)");
	OK(s, "x = m[8192]");            /* read before fork: no zero page here */
	OK(s, "c = fork()");
	OK(s, "m[0] = 7");               /* first touched after fork */
	OK(s, "m[8192] = 3");
	OK(s, "proc c");
	OK(s, "expect m[0] == 7");
	OK(s, "x = m[0]");
	assert_int_equal(var(s, "x"), 7);
	assert_int_equal(vm_pte(s->vm, 101, var(s, "m")) >> 12, vm_pte(s->vm, 100, var(s, "m")) >> 12);
	OK(s, "expect m[8192] == 3");
	OK(s, "proc 100");
	OK(s, "m[4096] = 8");            /* only the parent maps this page */
	OK(s, "q = malloc(100K)");
	OK(s, "touch q");                /* m's pages go to swap */
	OK(s, "expect swapped(m+4096) == 1");
	OK(s, "proc c");
	OK(s, "x = m[4096]");            /* back from swap for the child */
	assert_int_equal(var(s, "x"), 8);
	OK(s, "m[4096] = 9");
	OK(s, "proc 100");
	OK(s, "expect m[4096] == 9");    /* the parent's PTE still says swap */
	OK(s, "x = m[4096]");
	assert_int_equal(var(s, "x"), 9);
	OK(s, "proc c");
	OK(s, "munmap m 8K");            /* the child keeps the upper half */
	OK(s, "m[12288] = 4");
	OK(s, "proc 100");
	OK(s, "expect m[12288] == 4");
	OK(s, "proc c");
	OK(s, "m[8192] = 6");
	OK(s, "exit");                   /* the pages outlive their last holder */
	OK(s, "proc 100");
	OK(s, "expect m[12288] == 4");
	OK(s, "expect m[8192] == 6");
	OK(s, "x = m[12288]");
	assert_int_equal(var(s, "x"), 4);
	OK(s, "r = mmap(4K, r, shared)");
	OK(s, "x = r[0]");
	OK(s, "write r 5");              /* read-only stays read-only */
	assert_int_equal(s->last_fault, FAULT_SEGV);
	session_free(s);
}

/* A shared page in swap outlives the process that put it there. */
static void test_shared_page_in_swap_outlives_its_holder(void **state)
{
	(void)state;
	struct session *s = new_session(12, 64, POLICY_CLOCK);
	OK(s, "m = mmap(4K, rw, shared)");
	OK(s, "c = fork()");
	OK(s, "proc c");
	OK(s, "m[0] = 7");
	OK(s, "q = malloc(100K)");
	OK(s, "touch q");
	OK(s, "expect swapped(m) == 1");
	OK(s, "exit");
	OK(s, "proc 100");
	OK(s, "expect swapped(m) == 1");
	OK(s, "x = m[0]");
	assert_int_equal(var(s, "x"), 7);
	assert_int_equal(s->last_fault, FAULT_MAJOR);
	session_free(s);
}

static void test_stack_grows_down(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "write 0x7ffffffdd000 1"); /* one page below the initial 132K stack */
	assert_int_equal(s->last_fault, FAULT_MINOR);
	const struct vma *v = vm_find_vma(cur(s), 0x7ffffffdd000);
	assert_non_null(v);
	assert_true(v->flags & VMA_STACK);
	OK(s, "write 0x7fffff000000 1"); /* 16 MiB down: past the 8 MiB limit */
	assert_int_equal(s->last_fault, FAULT_SEGV);
	session_free(s);
}

static void test_fork_copy_on_write(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(100)");
	OK(s, "p[0] = 1");
	OK(s, "c = fork()");
	uint64_t frame = PTE_NUM(vm_pte(s->vm, 100, var(s, "p")));
	assert_int_equal(PTE_NUM(vm_pte(s->vm, 101, var(s, "p"))), frame);
	assert_int_equal(s->vm->frames[frame].mapcount, 2);
	assert_false(vm_pte(s->vm, 100, var(s, "p")) & PTE_W);
	OK(s, "proc c");
	OK(s, "p[0] = 2");
	assert_int_equal(s->last_fault, FAULT_MINOR);
	assert_int_not_equal(PTE_NUM(vm_pte(s->vm, 101, var(s, "p"))), frame);
	OK(s, "proc 100");
	OK(s, "expect p[0] == 1");
	OK(s, "p[0] = 3"); /* sole owner now: the frame is reused, no copy */
	assert_int_equal(PTE_NUM(vm_pte(s->vm, 100, var(s, "p"))), frame);
	session_free(s);
}

static void test_library_page_shared(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "spawn cat");
	uint64_t libc_text = 0x7ffff7df9000;
	uint64_t a = PTE_NUM(vm_pte(s->vm, 100, libc_text)), b = PTE_NUM(vm_pte(s->vm, 101, libc_text));
	assert_int_equal(a, b);
	assert_int_equal(s->vm->frames[a].kind, FRAME_FILE);
	assert_int_equal(s->vm->frames[a].mapcount, 2);
	assert_int_equal(vm_proc(s->vm, 101)->majflt, 2); /* its own program; libc came from the cache */
	session_free(s);
}

static void test_file_page_dropped_and_reread(void **state)
{
	(void)state;
	struct session *s = new_session(8, 64, POLICY_FIFO);
	uint8_t before;
	assert_true(vm_peek(s->vm, 100, 0x555555555010, &before));
	OK(s, "p = mmap(64K)");
	OK(s, "touch p"); /* pushes everything else out */
	assert_false(PTE_PRESENT(vm_pte(s->vm, 100, 0x555555555000)));
	uint64_t maj = cur(s)->majflt;
	OK(s, "x = read 0x555555555010");
	assert_int_equal(var(s, "x"), before);
	assert_int_equal(cur(s)->majflt, maj + 1);
	session_free(s);
}

static void test_oom_kills_largest(void **state)
{
	(void)state;
	struct session *s = new_session(8, 4, POLICY_CLOCK);
	/* 1 MiB is more than RAM + swap: overcommit 0 would refuse the mmap. */
	OK(s, "set overcommit 1");
	OK(s, "spawn small");
	OK(s, "proc 100");
	OK(s, "p = mmap(1M)");
	OK(s, "touch p");
	assert_null(vm_proc(s->vm, 100));
	assert_non_null(vm_proc(s->vm, 101));
	assert_int_equal(s->vm->ooms, 1);
	assert_non_null(strstr(s->out.s, "Killed"));
	session_free(s);
}

/* A process with everything in swap can still be the one with the highest
 * badness: killing it frees its slots, so the others can swap. */
static void test_oom_kills_swapped_out_process(void **state)
{
	(void)state;
	struct session *s = new_session(8, 16, POLICY_CLOCK);
	OK(s, "a = mmap(40K)");
	OK(s, "touch a");
	OK(s, "spawn hog");
	OK(s, "h = mmap(64K)");
	OK(s, "touch h");
	assert_null(vm_proc(s->vm, 100));
	assert_non_null(vm_proc(s->vm, 101));
	assert_int_equal(s->vm->ooms, 1);
	assert_int_equal(s->last_fault, FAULT_MINOR); /* hog finished its touch */
	session_free(s);
}

/* A program started again finds its pages in the page cache: minor faults,
 * no disk reads. */
static void test_page_cache_outlives_the_process(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "spawn ls");
	uint64_t ls_text = PTE_NUM(vm_pte(s->vm, 101, 0x555555555000));
	OK(s, "kill 101");
	assert_int_equal(s->vm->frames[ls_text].kind, FRAME_FILE);
	assert_int_equal(s->vm->frames[ls_text].mapcount, 0);
	OK(s, "spawn ls");
	struct proc *p = vm_proc(s->vm, 102);
	assert_non_null(p);
	assert_int_equal(p->majflt, 0);
	assert_int_equal(PTE_NUM(vm_pte(s->vm, 102, 0x555555555000)), ls_text);
	session_free(s);
}

/* Larger pages keep the process's shape: text r-x, data rw-, the heap right
 * after the data, nothing at NULL, the stack below the user-space top, a
 * vdso; and the engine works on them. */
static void test_larger_pages_keep_the_layout(void **state)
{
	(void)state;
	static const uint64_t sizes[] = {8192, 16384, 65536};
	for (int arch = 0; arch < 2; arch++)
		for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
			struct vm_config cfg;
			vm_config_default(&cfg);
			cfg.page_size = sizes[k];
			cfg.arch = arch ? ARCH_X86 : ARCH_X86_64;
			cfg.frames = 64;
			cfg.swap_slots = 512;
			struct session *s = session_new(&cfg, LANG_EN);
			assert_non_null(s);
			const struct proc *p = vm_proc(s->vm, s->vm->cur);
			bool text = false, data = false, vdso = false;
			const struct vma *prev = NULL;
			for (size_t i = 0; i < p->nvmas; i++) {
				const struct vma *v = &p->vmas[i];
				assert_int_equal(v->start % sizes[k], 0);
				assert_int_equal(v->end % sizes[k], 0);
				assert_true(v->start < v->end);
				if (prev)
					assert_true(prev->end <= v->start);
				prev = v;
				bool prog = strstr(v->name, "a.out") != NULL;
				text |= prog && v->prot == (PROT_R | PROT_X);
				data |= prog && v->prot == (PROT_R | PROT_W) && v->end == p->start_brk;
				vdso |= strcmp(v->name, "[vdso]") == 0;
				if (v->flags & VMA_STACK)
					assert_true(v->end <= (arch ? 0xffffe000ull : 0x7ffffffff000ull));
			}
			assert_true(text);
			assert_true(data);
			assert_true(vdso);
			OK(s, "p = malloc(100)");
			assert_true(var(s, "p") > p->start_brk);
			OK(s, "p[0] = 1");
			OK(s, "q = malloc(1M)");
			OK(s, "touch q");
			OK(s, "c = fork()");
			OK(s, "q[5] = 3");
			OK(s, "proc c");
			OK(s, "expect q[5] == 0");
			OK(s, "m = mmap(256K)");
			OK(s, "touch m");
			OK(s, "munmap m+64K 64K");
			OK(s, "read 0x0");
			assert_int_equal(s->last_fault, FAULT_SEGV);
			session_free(s);
		}
}

static void test_tlb_hits(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "set tlb 4");
	OK(s, "p = mmap(4K)");
	OK(s, "p[0] = 1");
	uint64_t hits = s->vm->tlb.hits;
	OK(s, "p[1] = 1");
	assert_int_equal(s->vm->tlb.hits, hits + 1);
	OK(s, "munmap p");
	OK(s, "q = mmap(4K)");
	assert_int_equal(var(s, "q"), var(s, "p"));
	OK(s, "x = q[1]"); /* the old translation was flushed: a miss, zero page */
	assert_int_equal(var(s, "x"), 0);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_write_is_minor_fault), cmocka_unit_test(test_read_maps_zero_page),
		cmocka_unit_test(test_swap_out_and_in_byte_for_byte), cmocka_unit_test(test_segv_cases),
		cmocka_unit_test(test_swap_full_and_sparse_pages),
		cmocka_unit_test(test_swap_cache_keeps_fork_sharing),
		cmocka_unit_test(test_clean_swapped_page_not_rewritten),
		cmocka_unit_test(test_full_swap_takes_cached_slots),
		cmocka_unit_test(test_clock_sweep_clears_accessed_bits),
		cmocka_unit_test(test_stack_grows_down),           cmocka_unit_test(test_fork_copy_on_write),
		cmocka_unit_test(test_library_page_shared),        cmocka_unit_test(test_file_page_dropped_and_reread),
		cmocka_unit_test(test_oom_kills_largest),
		cmocka_unit_test(test_oom_kills_swapped_out_process),
		cmocka_unit_test(test_page_cache_outlives_the_process),          cmocka_unit_test(test_tlb_hits),
		cmocka_unit_test(test_larger_pages_keep_the_layout), cmocka_unit_test(test_segv_keeps_its_walk),
		cmocka_unit_test(test_shared_anonymous_memory),
		cmocka_unit_test(test_shared_page_in_swap_outlives_its_holder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
