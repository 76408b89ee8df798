/* policy_explain.c - why the replacement policy chose its victim, in the
 * numbers of the search it just made (for the eviction event's reason). */
#include "policy.h"

#include <inttypes.h>
#include <stdio.h>

/* "5, 6, 7" (and ", ... 12 in all" past the ones remembered). */
static void frame_list(const uint32_t *list, uint32_t cleared, char *buf, size_t size, int zh)
{
	size_t n = 0;
	buf[0] = 0;
	for (uint32_t i = 0; i < cleared && i < POLICY_SWEEP_SHOW && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%u", i ? (zh ? "、" : ", ") : "", list[i]);
	if (cleared > POLICY_SWEEP_SHOW && n < size)
		snprintf(buf + n, size - n, zh ? " 等共 %u 个" : ", ... %u in all", cleared);
}

void policy_why_of(const struct policy *p, uint32_t victim, struct policy_why *w)
{
	w->kind = (uint8_t)p->kind;
	w->victim = victim;
	w->from = p->sweep.from;
	w->cleared = p->sweep.cleared;
	w->skipped = p->sweep.skipped;
	w->hand = p->hand;
	for (int i = 0; i < POLICY_SWEEP_SHOW; i++)
		w->list[i] = p->sweep.list[i];
	w->stamp = victim < p->nframes ? p->stamp[victim] : 0;
	w->tick = p->tick;
}

void policy_explain(const struct policy_why *p, char *en, size_t en_size, char *zh, size_t zh_size)
{
	uint64_t now = p->tick, at = p->stamp;
	uint32_t victim = p->victim;
	char skip_en[96] = "", skip_zh[96] = "";
	if (p->skipped) {
		snprintf(skip_en, sizeof skip_en, "; %u frame%s passed over (not evictable now: pinned, or no swap room)",
			 p->skipped, p->skipped == 1 ? "" : "s");
		snprintf(skip_zh, sizeof skip_zh, "；跳过 %u 个暂不能淘汰的物理页（被钉住，或 swap 没有空位）", p->skipped);
	}
	switch ((enum policy_kind)p->kind) {
	case POLICY_CLOCK: {
		char le[160], lz[160];
		frame_list(p->list, p->cleared, le, sizeof le, 0);
		frame_list(p->list, p->cleared, lz, sizeof lz, 1);
		if (p->cleared && victim == p->from) {
			snprintf(en, en_size,
				 "CLOCK: every page had been used since the hand last passed: from frame %u it cleared the "
				 "reference bits of frames %s and came all the way round to frame %u, now clear; the hand "
				 "now points at frame %u%s",
				 p->from, le, victim, p->hand, skip_en);
			snprintf(zh, zh_size,
				 "CLOCK：指针上次经过后每一页都被用过：它从物理页 %u 出发，清除了物理页 %s 的访问位，绕了整整一圈"
				 "回到访问位已清零的物理页 %u；指针现在指向物理页 %u%s",
				 p->from, lz, victim, p->hand, skip_zh);
			return;
		}
		if (p->cleared)
			snprintf(en, en_size,
				 "CLOCK: from frame %u the hand cleared the reference bits of frames %s (a second chance) "
				 "and stopped at frame %u, whose bit was clear; the hand now points at frame %u%s",
				 p->from, le, victim, p->hand, skip_en);
		else
			snprintf(en, en_size,
				 "CLOCK: the hand started at frame %u and the first frame it met with a clear reference bit was "
				 "%u (not used since the hand last passed); the hand now points at frame %u%s",
				 p->from, victim, p->hand, skip_en);
		if (p->cleared)
			snprintf(zh, zh_size,
				 "CLOCK：指针从物理页 %u 出发，清除了物理页 %s 的访问位（给第二次机会），停在访问位已是 0 的物理页 %u；"
				 "指针现在指向物理页 %u%s",
				 p->from, lz, victim, p->hand, skip_zh);
		else
			snprintf(zh, zh_size,
				 "CLOCK：指针从物理页 %u 出发，遇到的第一个访问位为 0 的是物理页 %u（指针上次经过后没被用过）；"
				 "指针现在指向物理页 %u%s",
				 p->from, victim, p->hand, skip_zh);
		return;
	}
	case POLICY_LRU:
		snprintf(en, en_size,
			 "LRU: frame %u holds the least recently used page: last used at step %" PRIu64 " of %" PRIu64
			 ", %" PRIu64 " page loads and hits ago%s",
			 victim, at, now, now - at, skip_en);
		snprintf(zh, zh_size,
			 "LRU：物理页 %u 里的页最久没被使用：最后一次使用在第 %" PRIu64 " 步（现在第 %" PRIu64 " 步，已过 %" PRIu64
			 " 次调入或命中）%s",
			 victim, at, now, now - at, skip_zh);
		return;
	case POLICY_FIFO:
		snprintf(en, en_size,
			 "FIFO: frame %u holds the page that arrived first: loaded at step %" PRIu64 " of %" PRIu64
			 "; how recently it was used does not matter%s",
			 victim, at, now, skip_en);
		snprintf(zh, zh_size,
			 "FIFO：物理页 %u 里的页最早调入：第 %" PRIu64 " 步调入（现在第 %" PRIu64 " 步）；最近是否用过不影响选择%s",
			 victim, at, now, skip_zh);
		return;
	case POLICY_COUNT:
		break;
	}
	snprintf(en, en_size, "frame %u", victim);
	snprintf(zh, zh_size, "物理页 %u", victim);
}
