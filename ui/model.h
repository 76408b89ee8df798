/* model.h - what the screen shows, read from the engine in one pass.
 *
 * The engine is only read here and in the panels; model_read gathers the
 * things that need a walk (the current process's PTEs, resident pages per
 * VMA, the replacement order) and what the last command changed (from the
 * events since s->first_event), so drawing is a plain loop over arrays.
 */
#ifndef VMVIZ_UI_MODEL_H
#define VMVIZ_UI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"

struct pte_row {
	uint64_t vpn;
	pte_t pte;
};

/* What the last command changed: highlighted until the next one. */
struct changes {
	uint8_t *frame;        /* per frame: 1 if changed */
	uint8_t *slot;         /* per swap slot */
	uint64_t *vpn;         /* PTEs of the shown process, sorted */
	size_t nvpn;
	uint32_t nframes, nslots;  /* how many changed */
	bool touched;          /* an access, malloc, mmap or brk happened */
	vaddr_t touch_va;      /* the address last touched */
	int touch_pid;
	bool brk;              /* the program break moved */
	int64_t focus_frame;   /* frame worth describing (last allocated), or -1 */
	int64_t focus_slot;    /* slot worth describing (last written), or -1 */
	uint64_t nevents;
};

/* The next victims the screen can show: a row of frame numbers. */
#define MODEL_ORDER_MAX 512

struct model {
	const struct session *s;
	const struct vm *vm;
	const struct proc *proc;   /* the current process, or NULL */
	struct pte_row *pte;       /* its non-empty PTEs in address order */
	size_t npte, pte_cap;
	uint32_t *vma_res;         /* resident pages per VMA (zero page excluded) */
	uint32_t *vma_swap;        /* swapped-out pages per VMA */
	size_t vma_cap;
	uint32_t *order;           /* frames in eviction order, next victim first (at most MODEL_ORDER_MAX) */
	uint32_t norder;
	size_t frame_cap, slot_cap, vpn_cap;
	struct changes chg;
};

void model_init(struct model *m);
void model_free(struct model *m);
/* Reads the session's state, and as "changed" the events [from, to) (the
 * last command that changed something). Returns 0, or -1 when out of
 * memory (the model is then empty). */
int model_read(struct model *m, const struct session *s, uint64_t from, uint64_t to);

/* Index of the VMA of p containing va, or -1. */
int model_vma_at(const struct proc *p, vaddr_t va);
/* True if the last command changed the PTE for vpn. */
bool model_vpn_changed(const struct model *m, uint64_t vpn);

#endif
