/* layout.c - the address space of a new process at main(): a PIE program,
 * libc, ld.so, the loader's anonymous mappings, vvar/vvar_vclock/vdso, the
 * stack (and vsyscall), as measured on Linux 6.18 with ASLR off, for x86-64
 * and for a 32-bit (gcc -m32) process. */
#include "internal.h"
#include "heap.h"

#include <stdio.h>
#include <string.h>

enum { PROG, LIBC, LD, NONE };

/* How far below the top of the stack main()'s stack pointer is: the
 * arguments, the environment and the auxiliary vector lie above it, so it
 * moves with their size. Measured under setarch -R by the probe scripts
 * (tests/probes/stack_frames.txt, stack_frames_x86.txt for gcc -m32). */
#define MAIN_SP_BELOW_TOP_64 0x9c0u
#define MAIN_SP_BELOW_TOP_32 0x818u

struct seg {
	vaddr_t start, end;
	unsigned prot;
	unsigned flags;
	int file;          /* PROG, LIBC, LD or NONE */
	uint64_t off;
	const char *name;  /* for anonymous special mappings */
};

#define R PROT_R
#define W PROT_W
#define X PROT_X

/* A: charged to Committed_AS (VM_ACCOUNT): what the loader mapped private
 * and writable, the RELRO part included (mprotect to read-only keeps the
 * charge of a file mapping), the loader's anonymous memory and the stack. */
#define A VMA_ACCOUNT
#define ANON (VMA_ANON | VMA_ACCOUNT)

/* Measured on Linux 6.18, glibc 2.36 (tests/probes/layout_x86_64.txt). */
static const struct seg layout_x86_64[] = {
	{0x555555554000, 0x555555555000, R, 0, PROG, 0x0, NULL},
	{0x555555555000, 0x555555556000, R | X, 0, PROG, 0x1000, NULL},
	{0x555555556000, 0x555555557000, R, 0, PROG, 0x2000, NULL},
	{0x555555557000, 0x555555558000, R, A, PROG, 0x2000, NULL},
	{0x555555558000, 0x555555559000, R | W, A, PROG, 0x3000, NULL},
	{0x7ffff7dd0000, 0x7ffff7dd3000, R | W, ANON, NONE, 0, ""},
	{0x7ffff7dd3000, 0x7ffff7df9000, R, 0, LIBC, 0x0, NULL},
	{0x7ffff7df9000, 0x7ffff7f4f000, R | X, 0, LIBC, 0x26000, NULL},
	{0x7ffff7f4f000, 0x7ffff7fa2000, R, 0, LIBC, 0x17c000, NULL},
	{0x7ffff7fa2000, 0x7ffff7fa6000, R, A, LIBC, 0x1cf000, NULL},
	{0x7ffff7fa6000, 0x7ffff7fa8000, R | W, A, LIBC, 0x1d3000, NULL},
	{0x7ffff7fa8000, 0x7ffff7fb5000, R | W, ANON, NONE, 0, ""},
	{0x7ffff7fc0000, 0x7ffff7fc2000, R | W, ANON, NONE, 0, ""},
	{0x7ffff7fc2000, 0x7ffff7fc6000, R, VMA_ANON | VMA_SPECIAL, NONE, 0, "[vvar]"},
	{0x7ffff7fc6000, 0x7ffff7fc8000, R, VMA_ANON | VMA_SPECIAL, NONE, 0, "[vvar_vclock]"},
	{0x7ffff7fc8000, 0x7ffff7fca000, R | X, VMA_ANON | VMA_SPECIAL, NONE, 0, "[vdso]"},
	{0x7ffff7fca000, 0x7ffff7fcb000, R, 0, LD, 0x0, NULL},
	{0x7ffff7fcb000, 0x7ffff7ff1000, R | X, 0, LD, 0x1000, NULL},
	{0x7ffff7ff1000, 0x7ffff7ffb000, R, 0, LD, 0x27000, NULL},
	{0x7ffff7ffb000, 0x7ffff7ffd000, R, A, LD, 0x31000, NULL},
	{0x7ffff7ffd000, 0x7ffff7fff000, R | W, A, LD, 0x33000, NULL},
	{0x7ffffffde000, 0x7ffffffff000, R | W, ANON | VMA_STACK, NONE, 0, "[stack]"},
	{0xffffffffff600000, 0xffffffffff601000, X, VMA_ANON | VMA_SPECIAL, NONE, 0, "[vsyscall]"},
};

/* A 32-bit PIE (gcc -m32) on this machine's 64-bit kernel: TASK_SIZE is
 * 0xffffe000, so libraries and the stack sit near 4 GiB; no [vsyscall]
 * (tests/probes/layout_x86.txt). */
static const struct seg layout_x86[] = {
	{0x56555000, 0x56556000, R, 0, PROG, 0x0, NULL},
	{0x56556000, 0x56557000, R | X, 0, PROG, 0x1000, NULL},
	{0x56557000, 0x56558000, R, 0, PROG, 0x2000, NULL},
	{0x56558000, 0x56559000, R, A, PROG, 0x2000, NULL},
	{0x56559000, 0x5655a000, R | W, A, PROG, 0x3000, NULL},
	{0xf7d8c000, 0xf7dae000, R, 0, LIBC, 0x0, NULL},
	{0xf7dae000, 0xf7f27000, R | X, 0, LIBC, 0x22000, NULL},
	{0xf7f27000, 0xf7fa7000, R, 0, LIBC, 0x19b000, NULL},
	{0xf7fa7000, 0xf7fa9000, R, A, LIBC, 0x21b000, NULL},
	{0xf7fa9000, 0xf7faa000, R | W, A, LIBC, 0x21d000, NULL},
	{0xf7faa000, 0xf7fb4000, R | W, ANON, NONE, 0, ""},
	{0xf7fbf000, 0xf7fc1000, R | W, ANON, NONE, 0, ""},
	{0xf7fc1000, 0xf7fc5000, R, VMA_ANON | VMA_SPECIAL, NONE, 0, "[vvar]"},
	{0xf7fc5000, 0xf7fc7000, R, VMA_ANON | VMA_SPECIAL, NONE, 0, "[vvar_vclock]"},
	{0xf7fc7000, 0xf7fc9000, R | X, VMA_ANON | VMA_SPECIAL, NONE, 0, "[vdso]"},
	{0xf7fc9000, 0xf7fca000, R, 0, LD, 0x0, NULL},
	{0xf7fca000, 0xf7fed000, R | X, 0, LD, 0x1000, NULL},
	{0xf7fed000, 0xf7ffb000, R, 0, LD, 0x24000, NULL},
	{0xf7ffb000, 0xf7ffd000, R, A, LD, 0x31000, NULL},
	{0xf7ffd000, 0xf7ffe000, R | W, A, LD, 0x33000, NULL},
	{0xfffdd000, 0xffffe000, R | W, ANON | VMA_STACK, NONE, 0, "[stack]"},
};

#undef R
#undef W
#undef X
#undef A
#undef ANON

vaddr_t layout_mmap_base(const struct vm *vm)
{
	/* mm/util.c mmap_base(): TASK_SIZE less a gap of the stack rlimit
	 * (8 MiB) plus stack_guard_gap (1 MiB), raised to its 128 MiB
	 * minimum; no random offset with ASLR off. A 32-bit process on a
	 * 64-bit kernel has TASK_SIZE 0xffffe000. */
	const uint64_t gap = 128ull << 20;
	vaddr_t task_size = vm->arch.kind == ARCH_X86 ? 0xffffe000ull : 0x7ffffffff000ull;
	return PAGE_DOWN(&vm->arch, task_size - gap);
}

static const char *file_path(const struct vm *vm, int which, const char *prog)
{
	static char buf[VM_NAME_MAX];
	bool x86 = vm->arch.kind == ARCH_X86;
	switch (which) {
	case PROG:
		if (strcmp(prog, "a.out") == 0)
			return "/home/user/a.out";
		snprintf(buf, sizeof buf, "/usr/bin/%s", prog);
		return buf;
	case LIBC:
		return x86 ? "/usr/lib32/libc.so.6" : "/usr/lib/x86_64-linux-gnu/libc.so.6";
	default:
		return x86 ? "/usr/lib32/ld-linux.so.2" : "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2";
	}
}

int layout_build(struct vm *vm, struct proc *p)
{
	bool x86 = vm->arch.kind == ARCH_X86;
	const struct seg *segs = x86 ? layout_x86 : layout_x86_64;
	size_t n = x86 ? sizeof layout_x86 / sizeof *segs : sizeof layout_x86_64 / sizeof *segs;
	/* Each file's size: the end of its last segment's offset range. */
	uint64_t file_bytes[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		if (segs[i].file != NONE) {
			uint64_t e = segs[i].off + (segs[i].end - segs[i].start);
			if (e > file_bytes[segs[i].file])
				file_bytes[segs[i].file] = e;
		}
	vaddr_t prev_end = 0;
	for (size_t i = 0; i < n; i++) {
		struct vma v = {0};
		/* Larger pages: every segment still gets pages of its own, as in
		 * a binary linked for them (so text stays r-x, data rw-, and the
		 * heap follows the data); a segment that would overlap the one
		 * before moves up. The stack keeps its top below the original. */
		uint64_t page = vm->arch.page_size;
		if (segs[i].flags & VMA_STACK) {
			v.end = PAGE_DOWN(&vm->arch, segs[i].end);
			v.start = PAGE_DOWN(&vm->arch, segs[i].start);
			if (v.start >= v.end)
				v.start = v.end - page;
		} else {
			v.start = PAGE_DOWN(&vm->arch, segs[i].start);
			if (v.start < prev_end)
				v.start = prev_end;
			v.end = PAGE_UP(&vm->arch, segs[i].end);
			if (v.end <= v.start)
				v.end = v.start + page;
		}
		if (v.start < prev_end) {
			snprintf(vm->err, sizeof vm->err, "page size %llu is too large for this layout",
				 (unsigned long long)page);
			return -1;
		}
		v.prot = segs[i].prot;
		v.flags = segs[i].flags;
		v.file = -1;
		v.anon_off = v.start;
		/* The loader and the C runtime wrote to these before main(). */
		if ((v.flags & VMA_ANON) && (v.prot & PROT_W))
			v.anon = ++vm->next_anon;
		if (segs[i].file != NONE) {
			const char *path = file_path(vm, segs[i].file, p->name);
			uint64_t pages = PAGE_UP(&vm->arch, file_bytes[segs[i].file]) >> vm->arch.page_shift;
			v.file = file_lookup(vm, path, (uint32_t)pages);
			if (v.file < 0) {
				snprintf(vm->err, sizeof vm->err, "too many different programs (at most %d files)", FILE_MAX);
				return -1;
			}
			v.file_off = PAGE_DOWN(&vm->arch, segs[i].off);
			snprintf(v.name, sizeof v.name, "%s", path);
		} else {
			snprintf(v.name, sizeof v.name, "%s", segs[i].name);
		}
		if (!vma_insert(p, &v)) {
			snprintf(vm->err, sizeof vm->err, "out of memory");
			return -1;
		}
		prev_end = v.end;
		if (v.flags & VMA_STACK)
			p->sp = v.end - (x86 ? MAIN_SP_BELOW_TOP_32 : MAIN_SP_BELOW_TOP_64);
		if (segs[i].file == PROG && (v.prot & PROT_W))
			p->start_brk = p->brk = v.end;
	}
	p->mmap_base = layout_mmap_base(vm);
	heap_init(&p->heap);
	return 0;
}

/* What the loader and C runtime touch before main(): a page of the program's
 * code, its data, the top of the stack and a page of libc's code. */
void layout_startup_touch(struct vm *vm, struct proc *p)
{
	int pid = p->pid;
	uint8_t byte = 0;
	for (size_t i = 0; vm_proc(vm, pid) && i < p->nvmas; i++) {
		const struct vma *v = &p->vmas[i];
		bool prog = v->file >= 0 && vm->files[v->file].id == vm->files[p->vmas[0].file].id;
		if (prog && (v->prot & PROT_X))
			vm_access(vm, pid, v->start, false, &byte);
		else if (prog && (v->prot & PROT_W))
			vm_access(vm, pid, v->start, true, &(uint8_t){0});
		else if (v->file >= 0 && (v->prot & PROT_X) && strstr(v->name, "libc"))
			vm_access(vm, pid, v->start, false, &byte);
		else if (v->flags & VMA_STACK)
			vm_access(vm, pid, v->end - 8, true, &(uint8_t){0});
	}
}
