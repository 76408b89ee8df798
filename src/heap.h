/* heap.h - glibc 2.36's malloc in the simulated process: tcache, fastbins,
 * the unsorted/small/large bins and the top chunk first; sysmalloc mmaps a
 * request at or over the (dynamic) mmap threshold only when none of them
 * can serve it, and grows the brk heap otherwise. Numbers from
 * LINUX-FACTS.md; the algorithm is malloc.c's (src/malloc_core.c). */
#ifndef VMVIZ_HEAP_H
#define VMVIZ_HEAP_H

#include "vm.h"

#define MMAP_THRESHOLD_INIT (128u * 1024)
#define TRIM_THRESHOLD_INIT (128u * 1024)

void heap_init(struct heap *h);
void heap_destroy(struct heap *h);
int heap_copy(struct heap *dst, const struct heap *src);

/* The C calls. Each returns what the C function returns (0 is NULL, with
 * vm->err empty). When the process does not survive the call (glibc
 * aborted with SIGABRT, or a corrupted pointer made it fault) it returns 0
 * (free: 1) with glibc's message or the fault in vm->err, and the process
 * is gone. Without such a process: 0 (free: -1) and vm->err says so. */
vaddr_t vm_malloc(struct vm *vm, int pid, uint64_t size);
vaddr_t vm_calloc(struct vm *vm, int pid, uint64_t n, uint64_t size);
vaddr_t vm_realloc(struct vm *vm, int pid, vaddr_t ptr, uint64_t size);
/* memalign and aligned_alloc (the same function in glibc 2.36). */
vaddr_t vm_memalign(struct vm *vm, int pid, uint64_t alignment, uint64_t size);
int vm_free_ptr(struct vm *vm, int pid, vaddr_t ptr);

/* A store by the program to [va, va+len) (the engine calls it for every
 * write): one outside its live blocks but in the brk heap may break
 * glibc's headers, so the invariant checker stops vouching for this heap. */
void heap_note_store(struct proc *p, vaddr_t va, uint64_t len);

/* The live block whose user area [pointer, pointer + request) holds va:
 * fills *out and returns true. */
bool heap_find(const struct vm *vm, const struct proc *p, vaddr_t va, struct chunk *out);
/* Where the heap's first chunk (glibc's tcache) starts. */
vaddr_t heap_first_chunk(const struct vm *vm, const struct proc *p);
/* glibc's bin_at(main_arena, i): the address free chunks of bin i link to. */
vaddr_t heap_bin_addr(const struct vm *vm, unsigned i);
/* The pointer malloc returned for chunk c. */
vaddr_t heap_chunk_mem(const struct vm *vm, const struct chunk *c);

#endif
