/* overcommit.c - vm.overcommit_memory, as mm/util.c's __vm_enough_memory:
 *
 *  0 (heuristic, the default): refuse only a single request larger than
 *    all of RAM plus swap; anything smaller is granted.
 *  1 (always): never refuse.
 *  2 (strict): Committed_AS, with the request, must stay below CommitLimit
 *    = swap + RAM x overcommit_ratio / 100, less the admin reserve and a
 *    user reserve (min(process size / 32, user_reserve_kbytes)).
 *
 * Committed_AS counts what Linux charges with VM_ACCOUNT: private writable
 * mappings (anonymous, a file's data, the brk heap, the stack), each
 * process's own copy after fork, and each shared anonymous object once.
 * Here RAM is the simulated frames and swap its slots. Sizes in pages. */
#include "internal.h"

#include <inttypes.h>
#include <stdio.h>

int vm_set_overcommit(struct vm *vm, int mode)
{
	if (mode < 0 || mode > 2) {
		snprintf(vm->err, sizeof vm->err, "overcommit must be 0, 1 or 2, not %d", mode);
		return -1;
	}
	vm->overcommit = mode;
	vm->cfg.overcommit = mode;
	struct event *ev = event_push(&vm->log, EV_POLICY, 0);
	snprintf(ev->text, sizeof ev->text, "overcommit is now %d", mode);
	return 0;
}

uint64_t vm_commit_limit(const struct vm *vm)
{
	return (uint64_t)vm->nframes * vm->overcommit_ratio / 100 + vm->swap.nslots;
}

/* The size of shared anonymous object shm: its furthest mapped page. */
static uint64_t shm_pages(const struct vm *vm, uint32_t shm, int upto_proc, size_t upto_vma)
{
	uint64_t bytes = 0;
	for (int k = 0; k < vm->nprocs; k++) {
		const struct proc *q = vm->procs[k];
		for (size_t i = 0; i < q->nvmas; i++) {
			const struct vma *w = &q->vmas[i];
			if (w->shm != shm)
				continue;
			if (k < upto_proc || (k == upto_proc && i < upto_vma))
				return 0; /* counted at its first mapping */
			if (w->file_off + (w->end - w->start) > bytes)
				bytes = w->file_off + (w->end - w->start);
		}
	}
	return bytes >> vm->arch.page_shift;
}

uint64_t vm_committed_as(const struct vm *vm)
{
	uint64_t pages = 0;
	for (int k = 0; k < vm->nprocs; k++) {
		const struct proc *q = vm->procs[k];
		for (size_t i = 0; i < q->nvmas; i++) {
			const struct vma *w = &q->vmas[i];
			if (w->flags & VMA_ACCOUNT)
				pages += (w->end - w->start) >> vm->arch.page_shift;
			else if (w->shm)
				pages += shm_pages(vm, w->shm, k, i);
		}
	}
	return pages;
}

/* sysctl_admin_reserve_kbytes and sysctl_user_reserve_kbytes, as the
 * kernel sets them at boot: free memory / 32, at most 8 MiB and 128 MiB. */
static uint64_t reserve(const struct vm *vm, uint64_t cap_bytes)
{
	uint64_t pages = (uint64_t)(vm->nframes - vm->kernel_frames) / 32;
	uint64_t cap = cap_bytes >> vm->arch.page_shift;
	return pages < cap ? pages : cap;
}

int vm_enough_memory(struct vm *vm, const struct proc *p, uint64_t bytes, const char *what)
{
	uint64_t pages = (bytes + vm->arch.page_size - 1) >> vm->arch.page_shift;
	uint64_t kib = vm->arch.page_size >> 10;
	if (vm->overcommit == 1)
		return 0;
	uint64_t total = (uint64_t)vm->nframes + vm->swap.nslots;
	if (vm->overcommit == 0) {
		if (pages <= total)
			return 0;
		snprintf(vm->err, sizeof vm->err,
			 "%s: cannot allocate memory (ENOMEM): %" PRIu64 " kB is more than RAM + swap (%" PRIu64
			 " kB; overcommit 0)",
			 what, pages * kib, total * kib);
		return -1;
	}
	uint64_t allowed = vm_commit_limit(vm);
	uint64_t admin = reserve(vm, 8ull << 20), user = reserve(vm, 128ull << 20);
	uint64_t total_vm = p ? vm_vsz(vm, p) >> vm->arch.page_shift : 0;
	uint64_t user_cut = total_vm / 32 < user ? total_vm / 32 : user;
	allowed = allowed > admin + user_cut ? allowed - admin - user_cut : 0;
	uint64_t committed = vm_committed_as(vm) + pages;
	if (committed < allowed)
		return 0;
	snprintf(vm->err, sizeof vm->err,
		 "%s: cannot allocate memory (ENOMEM): Committed_AS would be %" PRIu64 " kB, CommitLimit %" PRIu64
		 " kB less reserves %" PRIu64 " kB (overcommit 2)",
		 what, committed * kib, vm_commit_limit(vm) * kib, (admin + user_cut) * kib);
	return -1;
}
