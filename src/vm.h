/* vm.h - the paging engine: processes, VMAs, page tables, frames, swap.
 *
 * One struct vm holds the whole simulated machine. Everything that changes
 * it goes through the functions below, and each appends events to vm->log.
 * The screen only reads these structures; it never writes them.
 *
 * Errors: functions that can fail return a negative value (or 0 for an
 * address) and leave a one-line message in vm->err; on failure the state
 * is unchanged.
 */
#ifndef VMVIZ_VM_H
#define VMVIZ_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "cost.h"
#include "event.h"
#include "freemap.h"
#include "pagepool.h"
#include "policy.h"

#define VM_MAX_PROCS 64
#define VM_NAME_MAX 64
/* 16 GiB of 4 KiB pages: frames cost host memory only once used. */
#define VM_MAX_FRAMES (4u << 20)

struct vm_config {
	uint32_t frames;        /* physical frames, kernel ones included */
	uint32_t swap_slots;
	enum policy_kind policy;
	uint64_t page_size;
	enum arch_kind arch;
	uint32_t tlb_entries;   /* 0 = no TLB simulated */
	int overcommit;         /* vm.overcommit_memory: 0, 1 or 2 */
	enum disk_kind disk;    /* what swap and files sit on: its speed (`set disk`) */
};

/* The scenarios' machine (`run`, `play`): 32 frames, 64 swap slots. */
void vm_config_default(struct vm_config *cfg);
/* The prompt's machine (vmviz without a mode word): big enough that a
 * student's `p = malloc(1M); touch p` just works, small enough that 8 MiB
 * of touching swaps. */
#define VM_REPL_FRAMES 2048u
#define VM_REPL_SWAP 1024u
void vm_config_repl(struct vm_config *cfg);

enum frame_kind { FRAME_FREE, FRAME_KERNEL, FRAME_ZERO, FRAME_ANON, FRAME_FILE };

/* Reverse map: one (pid, vpn) that maps a frame. */
struct rmap {
	int pid;
	uint64_t vpn;
	struct rmap *next;
};

struct frame {
	uint8_t kind;          /* enum frame_kind */
	uint8_t dirty;         /* written since loaded */
	uint16_t mapcount;     /* PTEs that point here (the refcount) */
	int32_t file;          /* FRAME_FILE: file index */
	uint32_t file_page;    /* FRAME_FILE: page index in the file */
	int32_t swap_slot;     /* swap cache: slot holding the same bytes, or -1 */
	struct rmap *rmap;
	uint8_t *data;         /* the page's bytes, or NULL while they are all
				* zero (frames.c: frame_read, frame_write) */
};

#define PROT_R 1u
#define PROT_W 2u
#define PROT_X 4u

#define VMA_SHARED  0x01u  /* shared mapping: no copy-on-write */
#define VMA_ANON    0x02u  /* no file behind it */
#define VMA_HEAP    0x04u
#define VMA_STACK   0x08u  /* grows down on faults just below it */
#define VMA_SPECIAL 0x10u  /* [vvar], [vdso], [vsyscall]: shown, not paged */
#define VMA_ACCOUNT 0x20u  /* counted in Committed_AS (Linux's VM_ACCOUNT) */

struct vma {
	vaddr_t start, end;    /* [start, end), page aligned */
	unsigned prot;
	unsigned flags;
	int file;              /* file index, or -1 */
	uint64_t file_off;     /* byte offset in the file of start (for a
				* shared anonymous mapping: in its memory) */
	uint32_t shm;          /* shared anonymous memory it maps (kept by
				* fork, so parent and child share it), or 0 */
	uint64_t anon_off;     /* private anonymous: Linux's vm_pgoff in bytes,
				* the address start had when first mapped (a
				* moved VMA keeps it); neighbours merge only if
				* theirs continue it */
	uint32_t anon;         /* Linux's anon_vma: given at the first fault
				* that makes an anonymous page, 0 before; two
				* VMAs with different ones never merge */
	char name[VM_NAME_MAX];
};

struct ptable {
	uint32_t id;           /* shown as "table #id" */
	uint32_t used;         /* non-empty entries */
	pte_t *entry;          /* leaf level: PTEs; upper levels: P|W|U|table id */
	struct ptable **child; /* upper levels only */
};

/* glibc 2.36's allocator (src/heap.c, src/malloc_*.c). Chunk headers, free
 * list links and the tcache live in the simulated memory, as in a real
 * process; what glibc keeps in libc's .data (main_arena, mp_) lives here.
 * Addresses are simulated virtual addresses. */
#define HEAP_NBINS 128
#define HEAP_NFASTBINS 11      /* i386 has 11, x86-64 uses the first 10 */
#define HEAP_BINMAP_WORDS 4

/* A block as malloc handed it out, for the screen and commands. */
struct chunk {
	vaddr_t addr;          /* chunk start (the header) */
	uint64_t size;         /* chunk size from its size field */
	uint64_t request;      /* bytes the caller asked for */
	bool in_use;
	bool mmapped;
};

/* A live block: what the program holds (not glibc state). */
struct heap_block {
	vaddr_t mem;           /* the pointer malloc returned */
	uint64_t request;
	bool mmapped;
};

struct heap {
	bool initialised;      /* the tcache chunk exists */
	bool arena_ready;      /* bins point to themselves (malloc_init_state) */
	vaddr_t tcache;        /* tcache_perthread_struct (a user pointer), or 0 */
	/* main_arena */
	vaddr_t fastbins[HEAP_NFASTBINS];
	vaddr_t top;           /* the top chunk */
	vaddr_t last_remainder;
	vaddr_t bins[2 * HEAP_NBINS - 2];  /* fd, bk of each bin header */
	uint32_t binmap[HEAP_BINMAP_WORDS];
	bool have_fastchunks;
	bool noncontiguous;    /* set once mmap stood in for a failed brk */
	uint64_t system_mem, max_system_mem;
	/* mp_ */
	uint64_t mmap_threshold;
	uint64_t trim_threshold;
	uint64_t top_pad;
	uint32_t n_mmaps, n_mmaps_max;
	vaddr_t sbrk_base;
	bool storing;          /* the allocator's own store is under way */
	bool tainted;          /* the program stored into heap memory outside its
				* blocks: glibc's invariants are its to break */
	/* live blocks, in the order they were handed out */
	struct heap_block *blocks;
	size_t nblocks, blocks_cap;
};

struct proc {
	int pid;
	int ppid;
	char name[16];
	/* address space */
	struct vma *vmas;      /* sorted by start, non-overlapping */
	size_t nvmas, cap;
	struct ptable *root;
	vaddr_t start_brk, brk;
	vaddr_t mmap_base;     /* top of the mmap area: new mmaps go below */
	vaddr_t sp;            /* stack pointer (call / return move it) */
	uint64_t *calls;       /* sizes of the frames `call` pushed, innermost last */
	uint32_t ncalls, calls_cap;
	struct heap heap;
	/* counters */
	uint64_t rss;          /* present pages, zero page excluded */
	uint64_t swapents;     /* PTEs holding a swap slot */
	uint64_t minflt, majflt, swapins, swapouts;
	uint32_t ntables;
	/* Linux's hiwater_rss (pages) and hiwater_vm (bytes): the peaks, taken
	 * just before RSS or the mapped size goes down (VmHWM, VmPeak). */
	uint64_t hiwater_rss, hiwater_vm;
};

struct swap {
	uint32_t nslots;
	uint32_t used;
	uint16_t *count;       /* PTEs that hold the slot */
	uint8_t **data;        /* page bytes (swap.c's encoding) while the slot is used */
	int32_t *cache;        /* frame still holding the slot's bytes, or -1 */
	int *owner;            /* pid of the page first swapped out there */
	uint64_t *owner_vpn;
	struct freemap free_map; /* free slots: the lowest in a few steps */
};

struct file {
	char path[VM_NAME_MAX];
	uint32_t id;           /* inode number shown in maps */
	uint32_t pages;
	int32_t *cache;        /* page cache: frame holding page i, or -1 */
};

struct tlb_entry {
	int pid;
	uint64_t vpn;
	uint64_t stamp;        /* LRU order */
	bool valid;
};

struct tlb {
	uint32_t n;
	struct tlb_entry *e;
	uint64_t clock;
	uint64_t hits, misses;
};

enum fault_kind { FAULT_NONE, FAULT_MINOR, FAULT_MAJOR, FAULT_SEGV, FAULT_OOM };

/* The MMU walk of one address, level by level (translate, and the screen). */
struct walk {
	int pid;
	vaddr_t va;
	unsigned levels;       /* levels actually reached */
	unsigned index[ARCH_MAX_LEVELS];
	uint32_t table[ARCH_MAX_LEVELS];   /* id of the table read at each level */
	pte_t entry[ARCH_MAX_LEVELS];      /* what was found there */
	bool present;          /* the leaf PTE is present */
	int64_t pfn;           /* or -1 */
	int64_t slot;          /* swap slot when swapped out, or -1 */
	uint64_t paddr;
	enum fault_kind fault; /* for the last access: what it caused */
	bool valid;
};

#define FILE_MAX 64

/* A machine that mirrors a real process (vmviz attach, src/attach.c): its
 * VMAs, PTEs and frames are what /proc says, refreshed from outside, so
 * commands that would change it are refused. The frames stand for the real
 * pages the process maps; these say which. */
#define VM_HOST_NO_PFN UINT64_MAX
struct vm_host {
	int pid;
	char comm[16];
	bool pfn_visible;          /* pagemap gives PFNs (root) */
	bool kpage;                /* /proc/kpagecount and kpageflags readable */
	uint64_t *pfn;             /* per frame: the real PFN, or VM_HOST_NO_PFN */
	uint64_t *kcount;          /* per frame: /proc/kpagecount (kpage only) */
	uint64_t *kflags;          /* per frame: /proc/kpageflags (kpage only) */
	uint64_t *swap_entry;      /* per swap slot: the real swap type and offset
				    * as pagemap gives them (bits 0-4 type, 5-54
				    * offset), or VM_HOST_NO_PFN */
	uint64_t rss_kb, pss_kb, swap_kb, anon_kb; /* smaps, summed */
	uint64_t soft_dirty, exclusive;            /* pages, from pagemap */
	uint64_t refreshes;        /* reads of /proc so far */
	unsigned skipped;          /* mappings vmviz could not place */
};

struct vm {
	struct vm_config cfg;
	struct arch arch;
	/* physical memory */
	uint32_t nframes;
	uint32_t kernel_frames;   /* frames 0..kernel_frames-1 */
	uint32_t zero_pfn;        /* the shared zero page (a kernel frame) */
	uint32_t free_frames;
	struct freemap free_map;  /* which frames are free: the lowest in a few steps */
	struct frame *frames;     /* a free frame is all zero (kind FRAME_FREE) */
	uint8_t *zero_bytes;      /* a page of zeroes: what a frame without data reads */
	struct pagepool bytes;    /* where the frames' data come from */
	struct pagepool rmaps;    /* and their struct rmap entries */
	struct policy *policy;
	struct swap swap;
	struct file files[FILE_MAX];
	int nfiles;
	/* processes */
	struct proc *procs[VM_MAX_PROCS];
	int nprocs;
	int cur;                  /* current pid, 0 if none */
	int next_pid;
	uint32_t next_table_id;
	uint32_t next_shm;        /* identities of shared anonymous mappings */
	uint32_t next_anon;       /* identities of anon_vmas */
	int overcommit;           /* vm.overcommit_memory: 0 heuristic, 1 always, 2 strict */
	unsigned overcommit_ratio; /* vm.overcommit_ratio, percent (50) */
	struct tlb tlb;
	uint32_t pinned;          /* frame a fault is copying from: not evictable */
	/* totals */
	uint64_t evictions, swapouts, swapins, ooms;
	uint64_t tables;          /* live page-table pages */
	struct simclock clock;    /* simulated time spent, by cause (cost.h) */
	/* the last access, for translate and the screen */
	struct walk last;
	struct event_log log;
	struct vm_host *host;     /* a real process mirrored, read-only, or NULL */
	char err[200];
};

/* Lifecycle */
struct vm *vm_new(const struct vm_config *cfg, char *err, size_t errlen);
void vm_free(struct vm *vm);

/* Processes. spawn returns the new pid (and makes it current if none is). */
int vm_spawn(struct vm *vm, const char *name);
int vm_fork(struct vm *vm, int pid);
int vm_kill(struct vm *vm, int pid, const char *why);
int vm_switch(struct vm *vm, int pid);
struct proc *vm_proc(const struct vm *vm, int pid);
const struct vma *vm_find_vma(const struct proc *p, vaddr_t va);
uint64_t vm_vsz(const struct vm *vm, const struct proc *p);  /* bytes */
uint64_t vm_rss(const struct vm *vm, const struct proc *p);  /* bytes */

/* Memory access by a process: faults, eviction, swap, SIGSEGV.
 * Returns the fault kind; a SEGV or OOM kills the process. */
enum fault_kind vm_access(struct vm *vm, int pid, vaddr_t va, bool write, uint8_t *byte);
/* Several bytes: one access (and fault) per page touched. 0, or -1 if the
 * process died on the way (SIGSEGV, OOM). */
int vm_write_buf(struct vm *vm, int pid, vaddr_t va, const void *buf, uint64_t len);
int vm_read_buf(struct vm *vm, int pid, vaddr_t va, void *buf, uint64_t len);
/* Reads a byte without any side effect (expect, the screen): false if the
 * address is not mapped to anything readable. Never-touched memory reads 0. */
bool vm_peek(const struct vm *vm, int pid, vaddr_t va, uint8_t *byte);
/* The MMU walk of va, without side effects. */
void vm_translate(const struct vm *vm, int pid, vaddr_t va, struct walk *out);
/* The leaf PTE for va (0 if none). */
pte_t vm_pte(const struct vm *vm, int pid, vaddr_t va);
/* Calls fn for each non-empty leaf PTE of pid in address order. */
void vm_pt_foreach(const struct vm *vm, int pid,
		   void (*fn)(void *ctx, uint64_t vpn, pte_t pte), void *ctx);

/* Address-space calls, as the syscalls. len is rounded up to pages. */
vaddr_t vm_mmap(struct vm *vm, int pid, uint64_t len, unsigned prot, unsigned flags,
		const char *name);
/* mmap(2) of a file from offset 0, private (copy-on-write) or shared; its
 * pages come through the page cache. */
vaddr_t vm_mmap_file(struct vm *vm, int pid, uint64_t len, unsigned prot, unsigned flags, const char *path);
int vm_munmap(struct vm *vm, int pid, vaddr_t addr, uint64_t len);
int vm_brk(struct vm *vm, int pid, vaddr_t new_brk);
/* mremap(2): resizes [old, old+old_len), which must lie in one mapping.
 * Shrinking unmaps the tail; growing extends in place when the pages after
 * it are free, else (may_move, MREMAP_MAYMOVE) moves the page-table entries
 * to a new range: frames go with them, no copy, no fault. Returns the
 * (new) address, or 0 with vm->err set and nothing changed. */
vaddr_t vm_mremap(struct vm *vm, int pid, vaddr_t old, uint64_t old_len, uint64_t new_len, bool may_move);
/* mprotect(2): new permissions for [addr, addr+len), splitting VMAs at the
 * edges and merging equal neighbours; PTEs lose or regain their write bit. */
int vm_mprotect(struct vm *vm, int pid, vaddr_t addr, uint64_t len, unsigned prot);

/* A mapping exactly as a real process's /proc/PID/maps line has it
 * (vmviz record): name is a path, a [name] or "". */
struct vm_map_spec {
	vaddr_t start, end;
	unsigned prot;
	bool shared;
	uint64_t off;
	char name[VM_NAME_MAX];
};
/* Places it where it says (no overlap allowed); [heap] also sets the
 * break. vm_map_clear empties the address space of a process that has
 * not called malloc yet; vm_map_brk says where its heap will start. */
int vm_map_exact(struct vm *vm, int pid, const struct vm_map_spec *m);
int vm_map_clear(struct vm *vm, int pid);
int vm_map_brk(struct vm *vm, int pid, vaddr_t start);

/* A function call with a frame of size bytes (plus 16: the return address
 * and the saved frame pointer). The frame is written as a function writes
 * a local array: every page from the lowest address up (or, with
 * whole false, only its lowest byte, as `a[0] = 1` does). Writes below the
 * stack VMA grow it, up to RLIMIT_STACK (8 MiB) and never into the stack
 * guard gap; past that, SIGSEGV "stack overflow". 0, or -1 (vm->err) if the
 * process died. */
int vm_call(struct vm *vm, int pid, uint64_t size, bool whole);
/* Pops the innermost frame: the stack pointer moves back up; the pages stay
 * mapped and resident, as on Linux. -1 if no call is active. */
int vm_return(struct vm *vm, int pid);

/* Overcommit (mm/util.c __vm_enough_memory). Sizes in pages. */
int vm_set_overcommit(struct vm *vm, int mode);
uint64_t vm_commit_limit(const struct vm *vm);   /* CommitLimit */
uint64_t vm_committed_as(const struct vm *vm);   /* Committed_AS */

/* Runtime changes. Changing frames or swap size restarts the machine. */
int vm_set_policy(struct vm *vm, enum policy_kind kind);
int vm_set_tlb(struct vm *vm, uint32_t entries);

/* Checks every engine invariant; returns 0, or -1 with the first broken one
 * described in vm->err. */
int vm_check(struct vm *vm);

const char *frame_kind_name(enum frame_kind kind);
const char *fault_kind_name(enum fault_kind kind);
/* "rw-p" style permissions of a VMA. */
void vma_perms(const struct vma *v, char out[5]);
/* One /proc/PID/maps line (no newline). */
size_t vma_format_maps(const struct vm *vm, const struct vma *v, char *buf, size_t size);

#endif
