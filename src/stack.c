/* stack.c - function calls on the simulated stack: `call SIZE` pushes a
 * frame and writes it, `return` pops it. The stack VMA grows down on the
 * faults below it (fault.c); the pages of a popped frame stay mapped and
 * resident, as on Linux (the kernel never shrinks a stack). */
#include "internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define FRAME_ALIGN 16u    /* both ABIs keep the stack 16-byte aligned */

int vm_call(struct vm *vm, int pid, uint64_t size, bool whole)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	/* The return address and the saved frame pointer: two words. */
	uint64_t overhead = vm->arch.kind == ARCH_X86 ? 8 : 16;
	uint64_t frame = ((size + FRAME_ALIGN - 1) & ~(uint64_t)(FRAME_ALIGN - 1)) + overhead;
	if (size > (1ull << 40) || frame > p->sp) {
		snprintf(vm->err, sizeof vm->err, "call: a frame of %" PRIu64 " bytes does not fit below the stack pointer",
			 size);
		return -1;
	}
	if (p->ncalls == p->calls_cap) {
		uint32_t cap = p->calls_cap ? p->calls_cap * 2 : 16;
		uint64_t *n = realloc(p->calls, cap * sizeof *n);
		if (!n) {
			snprintf(vm->err, sizeof vm->err, "out of memory");
			return -1;
		}
		p->calls = n;
		p->calls_cap = cap;
	}
	vaddr_t old_sp = p->sp, low = old_sp - frame;
	p->calls[p->ncalls++] = frame;
	p->sp = low;
	struct event *ev = event_push(&vm->log, EV_CALL, pid);
	ev->va = low;
	ev->a = frame;
	ev->b = p->ncalls;
	/* The call instruction pushes the return address... */
	uint8_t byte = 0;
	if (vm_write_buf(vm, pid, old_sp - overhead / 2, &byte, 1) < 0)
		return -1;
	/* ...then the function writes its array, from a[0] up. */
	vaddr_t end = whole ? old_sp - overhead : low + 1;
	for (vaddr_t va = low; va < end; va = PAGE_DOWN(&vm->arch, va) + vm->arch.page_size)
		if (vm_write_buf(vm, pid, va, &byte, 1) < 0)
			return -1;
	return 0;
}

int vm_return(struct vm *vm, int pid)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	if (!p->ncalls) {
		snprintf(vm->err, sizeof vm->err, "return: no function call to return from");
		return -1;
	}
	p->sp += p->calls[--p->ncalls];
	struct event *ev = event_push(&vm->log, EV_RETURN, pid);
	ev->va = p->sp;
	ev->a = p->ncalls;
	return 0;
}
