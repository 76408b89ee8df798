/* reason_text.c - the words of the reasons that are kept as numbers (the
 * ones that come by the thousand: faults, evictions, swap transfers), made
 * when `explain` or the screen first reads them. */
#include "cost.h"
#include "event.h"

#include <inttypes.h>
#include <stdio.h>

void reason_text(enum reason_kind kind, const struct reason_args *a, char *en, size_t en_size, char *zh, size_t zh_size)
{
	char t[24];
	const uint64_t *n = a->n;
	switch (kind) {
	case RK_DEMAND_ZERO:
		snprintf(en, en_size,
			 "0x%" PRIx64 " is inside the VMA 0x%" PRIx64 "-0x%" PRIx64 " %s but its PTE is empty: the first "
			 "touch of anonymous memory, so the kernel gives it a zeroed frame (no disk)",
			 n[0], n[1], n[2], a->s);
		snprintf(zh, zh_size,
			 "0x%" PRIx64 " 在 VMA 0x%" PRIx64 "-0x%" PRIx64 " %s 里，但页表项是空的：匿名内存第一次被写，"
			 "内核给它一个清零的物理页（不读磁盘）",
			 n[0], n[1], n[2], a->s);
		return;
	case RK_ZERO_PAGE:
		snprintf(en, en_size,
			 "a read of anonymous memory never written: it reads as zeroes, so the PTE points read-only at the "
			 "shared zero page (frame %" PRIu64 ") and no frame is spent until a write",
			 n[0]);
		snprintf(zh, zh_size, "读从没写过的匿名内存：读出来都是 0，页表项只读地指向共享零页（物理页 %" PRIu64 "），写之前不占物理页",
			 n[0]);
		return;
	case RK_TLB_MISS:
		clock_format(n[3], t, sizeof t);
		snprintf(en, en_size,
			 "page 0x%" PRIx64 " is not among the TLB's %" PRIu64 " entries: the MMU reads %" PRIu64
			 " page-table entries, one per level (~%s)",
			 n[0], n[1], n[2], t);
		snprintf(zh, zh_size, "页 0x%" PRIx64 " 不在 TLB 的 %" PRIu64 " 项里：MMU 逐级读 %" PRIu64 " 个页表项（约 %s）", n[0],
			 n[1], n[2], t);
		return;
	case RK_EVICT: {
		char pe[EVENT_REASON_EN], pz[EVENT_REASON_ZH];
		policy_explain(&a->evict, pe, sizeof pe, pz, sizeof pz);
		snprintf(en, en_size, "no free frame (all %" PRIu64 " user frames in use): %.280s", n[0], pe);
		snprintf(zh, zh_size, "没有空闲物理页（%" PRIu64 " 个用户物理页全在用）：%.340s", n[0], pz);
		return;
	}
	case RK_SWAP_OUT:
		if (n[3]) {
			snprintf(en, en_size,
				 "the page came back from swap slot %" PRIu64 " and was not written since (dirty bit clear): "
				 "the slot still holds the same bytes, so no disk write",
				 n[0]);
			snprintf(zh, zh_size, "这一页从 swap 槽 %" PRIu64 " 换入后没有被写过（脏位为 0）：槽里还是同样的内容，不用写磁盘",
				 n[0]);
			return;
		}
		clock_format(n[2], t, sizeof t);
		snprintf(en, en_size,
			 "an anonymous page has no file to be re-read from: its bytes must go to swap; slot %" PRIu64
			 " was the lowest free one; writing 4 KiB to the %s costs ~%s",
			 n[0], disk_name((enum disk_kind)n[1]), t);
		snprintf(zh, zh_size, "匿名页没有文件可以重读，内容必须写进 swap；槽 %" PRIu64 " 是编号最小的空槽；往%s写 4 KiB 约需 %s",
			 n[0], disk_name_zh((enum disk_kind)n[1]), t);
		return;
	case RK_SWAP_MAJOR:
		snprintf(en, en_size,
			 "the PTE is not present and holds a swap entry (slot %" PRIu64 "): the page was evicted and must "
			 "be read back from the %s",
			 n[0], disk_name((enum disk_kind)n[1]));
		snprintf(zh, zh_size, "页表项不在内存，里面是一个 swap 项（槽 %" PRIu64 "）：这一页被换出过，必须从%s读回", n[0],
			 disk_name_zh((enum disk_kind)n[1]));
		return;
	case RK_SWAP_IN:
		clock_format(n[3], t, sizeof t);
		snprintf(en, en_size,
			 "slot %" PRIu64 " read into frame %" PRIu64 ": 4 KiB from the %s, ~%s; the slot keeps its copy "
			 "(swap cache), so a clean page can be dropped again without a write",
			 n[0], n[1], disk_name((enum disk_kind)n[2]), t);
		snprintf(zh, zh_size,
			 "swap 槽 %" PRIu64 " 读进物理页 %" PRIu64 "：从%s读 4 KiB，约 %s；槽里仍保留副本（swap 缓存），"
			 "页若没被改，再次换出时不用写",
			 n[0], n[1], disk_name_zh((enum disk_kind)n[2]), t);
		return;
	case RK_TEXT:
		break;
	}
	snprintf(en, en_size, "?");
	snprintf(zh, zh_size, "?");
}
