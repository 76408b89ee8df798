/* internal.h - engine functions shared between src/ files, not for the UI. */
#ifndef VMVIZ_INTERNAL_H
#define VMVIZ_INTERNAL_H

#include "vm.h"

#include <string.h>

#define NO_FRAME UINT32_MAX

/* frames.c */
/* A free frame for a new page, evicting (or OOM-killing) if needed. Returns
 * NO_FRAME if nothing could be freed. The frame is zeroed, kind ANON. */
uint32_t frame_alloc(struct vm *vm, int pid, enum frame_kind kind, const char *why);
void frame_release(struct vm *vm, uint32_t pfn);
/* The last PTE mapping pfn is gone: anonymous memory is freed; a file page
 * stays in the page cache (clean, reclaimable), so the next process to map
 * it takes a minor fault, as on Linux. */
void frame_unmapped(struct vm *vm, uint32_t pfn);
void rmap_add(struct vm *vm, uint32_t pfn, int pid, uint64_t vpn);
void rmap_del(struct vm *vm, uint32_t pfn, int pid, uint64_t vpn);
/* The frame table, the free map and the zero page; -1 when out of memory. */
int frames_init(struct vm *vm);
void frames_destroy(struct vm *vm);

/* A frame's bytes cost host memory only once something non-zero is
 * written: until then it reads as the shared page of zeroes. */
static inline const uint8_t *frame_read(const struct vm *vm, uint32_t pfn)
{
	const uint8_t *d = vm->frames[pfn].data;
	return d ? d : vm->zero_bytes;
}
/* The frame's bytes for writing, allocated (zeroed) on first use. */
uint8_t *frame_write(struct vm *vm, uint32_t pfn);
/* Stores one byte (a zero into an all-zero frame costs nothing). */
static inline void frame_set_byte(struct vm *vm, uint32_t pfn, uint64_t off, uint8_t b)
{
	uint8_t *d = vm->frames[pfn].data;
	if (d)
		d[off] = b;
	else if (b)
		frame_write(vm, pfn)[off] = b;
}
void frame_store_new(struct vm *vm, uint32_t pfn, uint64_t off, const uint8_t *src, uint64_t n);
/* Stores n bytes at off; all-zero bytes into an all-zero frame cost nothing. */
static inline void frame_store(struct vm *vm, uint32_t pfn, uint64_t off, const uint8_t *src, uint64_t n)
{
	uint8_t *d = vm->frames[pfn].data;
	if (d)
		memcpy(d + off, src, n);
	else
		frame_store_new(vm, pfn, off, src, n);
}
/* dst gets src's bytes (cheaply, when src is all zero). */
void frame_copy(struct vm *vm, uint32_t dst, uint32_t src);
/* The frame is all zero again; its bytes go back to the host. */
void frame_zero(struct vm *vm, uint32_t pfn);

/* swap.c */
int swap_init(struct swap *s, uint32_t nslots);
void swap_destroy(struct swap *s);
/* A free slot (lowest first) or -1. */
int64_t swap_alloc(struct swap *s);
/* Drops one PTE reference; frees the slot (and its bytes) when no PTE and
 * no swap-cache frame holds it. */
void swap_put(struct vm *vm, uint32_t slot);
/* The frame caching the slot forgets it (it was written, or freed). */
void swap_uncache(struct vm *vm, uint32_t slot);
/* A free slot, else one that only a swap-cache frame holds; -1 if none. */
int64_t swap_alloc_or_steal(struct vm *vm);
bool swap_has_room(const struct vm *vm);
int swap_store(struct swap *s, uint32_t slot, const uint8_t *bytes, uint64_t page_size);
void swap_load(const struct swap *s, uint32_t slot, uint8_t *out, uint64_t page_size);
/* Reads the slot's bytes into frame pfn (nothing to store if they are all zero). */
void swap_load_frame(struct vm *vm, uint32_t slot, uint32_t pfn);
uint8_t swap_byte(const struct swap *s, uint32_t slot, uint64_t offset);

/* reclaim.c */
/* Evicts one page chosen by the policy; false if none is evictable. */
bool reclaim_one(struct vm *vm);
/* Swaps out the anonymous page in frame f (vmviz attach: the real process
 * has it in swap); false if it cannot go (not anonymous, no slot). */
bool reclaim_swap_out(struct vm *vm, uint32_t f);
/* Clears the Accessed bit in every PTE mapping frame f (policy hook). */
void reclaim_clear_accessed(void *ctx, uint32_t f);
/* Kills the process with the largest badness; false if there is none. */
bool oom_kill(struct vm *vm);

/* Marks the frame a fault is copying from, so eviction leaves it alone
 * (NO_FRAME to clear). */
void reclaim_pin(struct vm *vm, uint32_t pfn);

/* tlb.c */
bool tlb_lookup(struct vm *vm, int pid, uint64_t vpn);
void tlb_insert(struct vm *vm, int pid, uint64_t vpn);

/* update_hiwater_rss: called before RSS goes down (unmap, reclaim). */
static inline void proc_note_hiwater_rss(struct proc *p)
{
	if (p->rss > p->hiwater_rss)
		p->hiwater_rss = p->rss;
}
/* update_hiwater_vm: called before a mapping goes away. */
void proc_note_hiwater_vm(const struct vm *vm, struct proc *p);

/* Unmaps the page at va of p: releases the frame or swap slot. */
void unmap_page(struct vm *vm, struct proc *p, vaddr_t va);
/* Does w map offset off of shared anonymous memory shm? */
static inline bool shm_maps(const struct vma *w, uint32_t shm, uint64_t off)
{
	return w->shm == shm && off >= w->file_off && off - w->file_off < w->end - w->start;
}
void tlb_flush_page(struct vm *vm, int pid, uint64_t vpn);
void tlb_flush_pid(struct vm *vm, int pid);

/* vma.c */
struct vma *vma_insert(struct proc *p, const struct vma *v);
/* Moves v's start up to start, keeping its offsets in step. */
void vma_advance(struct vma *v, vaddr_t start);
/* Removes [start,end) from p's VMAs, splitting as needed; pages unmapped. */
int vma_remove_range(struct vm *vm, struct proc *p, vaddr_t start, vaddr_t end);
/* Where a new mapping of len bytes goes: the kernel's top-down search below
 * mmap_base (with the stack guard gap), and for a private anonymous length
 * that is a multiple of the PMD size, THP alignment. 0 if nothing fits. */
vaddr_t vma_get_unmapped_area(const struct vm *vm, const struct proc *p, uint64_t len, unsigned flags);
/* The same for a private anonymous mapping (the malloc engine's mmaps). */
static inline vaddr_t vma_find_gap(const struct vm *vm, const struct proc *p, uint64_t len)
{
	return vma_get_unmapped_area(vm, p, len, VMA_ANON);
}
/* Could a and b (a just below b) be one VMA, as vma_merge sees it? */
bool vma_mergeable(const struct vma *a, const struct vma *b);
/* Merges v with its neighbours where Linux's vma_merge would (same
 * permissions, flags and name, contiguous offsets, compatible anon_vma).
 * Returns the VMA now holding v's range. */
struct vma *vma_merge_at(struct proc *p, struct vma *v);
/* Gives v an anon_vma before its first anonymous page: a compatible
 * neighbour's if it has one (so they may merge later), else a new one. */
void vma_anon_prepare(struct vm *vm, struct proc *p, const struct vma *v);
/* Is a mapping with this prot and flags charged to Committed_AS? */
bool vma_accountable(unsigned prot, unsigned flags);

/* overcommit.c */
/* May bytes more be committed (what = "mmap", "brk", ...)? 0, or -1 with
 * vm->err "WHAT: cannot allocate memory (ENOMEM): ...". */
int vm_enough_memory(struct vm *vm, const struct proc *p, uint64_t bytes, const char *what);

/* files.c */
void files_init(struct vm *vm);
void files_destroy(struct vm *vm);
int file_lookup(struct vm *vm, const char *path, uint32_t pages);
/* Drops the file file_lookup added last (a mapping of it failed). */
void files_forget_last(struct vm *vm);
void file_fill_page(const struct vm *vm, int file, uint32_t page, uint8_t *out);

/* layout.c */
/* Linux's mmap_base with ASLR off: the top of user space less the stack
 * gap (the stack rlimit and guard gap, at least 128 MiB). */
vaddr_t layout_mmap_base(const struct vm *vm);
int layout_build(struct vm *vm, struct proc *p);
void layout_startup_touch(struct vm *vm, struct proc *p);

#endif
