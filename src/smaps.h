/* smaps.h - what /proc/PID/smaps and /proc/PID/status say about a process's
 * memory, counted from its page tables as fs/proc/task_mmu.c counts. */
#ifndef VMVIZ_SMAPS_H
#define VMVIZ_SMAPS_H

#include "vm.h"

struct strbuf;

/* One VMA's smaps counters, in bytes (pss and pss_dirty in bytes << 12, the
 * kernel's PSS_SHIFT, so a page shared by 3 adds its exact third). */
struct smaps_vma {
	uint64_t rss, pss, pss_dirty;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t referenced, anonymous, swap, swap_pss;
};
#define SMAPS_PSS_SHIFT 12

/* Fills out[i] for each of p's VMAs (p->nvmas entries). */
void smaps_count(const struct vm *vm, const struct proc *p, struct smaps_vma *out);
/* Linux's VmFlags mnemonics of a VMA ("rd wr mr mw me ac"), as it prints them
 * (each followed by a space). */
void smaps_vmflags(const struct vma *v, char *buf, size_t size);
/* Appends the smaps block of VMA i (header, fields, VmFlags). */
void smaps_format(const struct vm *vm, const struct proc *p, size_t i, const struct smaps_vma *c, struct strbuf *out);

/* The memory lines of /proc/PID/status, in bytes. */
struct proc_status {
	uint64_t peak, size, lck, pin, hwm, rss, rss_anon, rss_file, rss_shmem;
	uint64_t data, stk, exe, lib, pte, swap;
};
void proc_status_count(const struct vm *vm, const struct proc *p, struct proc_status *out);
void proc_status_format(const struct proc_status *st, struct strbuf *out);

#endif
