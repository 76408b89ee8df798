/* panel_refs.c - the reference-string table, as textbooks draw it: the
 * string across the top, what each frame holds under every access, a fault
 * mark and the running fault count. Shown instead of the page table while a
 * scenario's reference string (refs) is declared. */
#include "app.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"

static int digits(uint64_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* First column shown: all of them when they fit, else a window that keeps
 * the latest access and the next one in view. */
static uint32_t first_column(const struct refstring *rs, uint32_t ncols)
{
	uint32_t n = rs->t.count;
	if (n <= ncols)
		return 0;
	uint32_t want_end = rs->done + 1 < n ? rs->done + 1 : n; /* one past the next access */
	return want_end > ncols ? want_end - ncols : 0;
}

const char *panel_refs_title(const struct ui *u)
{
	return tr(u, "Reference string", "访问序列");
}

void panel_refs_info(const struct ui *u, char *buf, size_t size)
{
	const struct refstring *rs = &u->s->refs;
	snprintf(buf, size, "%s %s %u %s", trace_policy_name(rs->policy), theme_glyphs()->mid, rs->frames,
		 tr(u, "frames", "个物理页"));
}

void panel_refs_draw(struct ui *u, const struct rect *b)
{
	const struct refstring *rs = &u->s->refs;
	int label_w = u->lang == LANG_ZH ? 10 : 9;
	int cw = digits(rs->npages > rs->t.count ? rs->npages : rs->t.count) % 12 + 1;
	if (b->w <= label_w + cw || b->h < 1)
		return;
	uint32_t ncols = (uint32_t)((b->w - label_w) / cw);
	uint32_t from = first_column(rs, ncols);
	uint32_t to = from + ncols < rs->t.count ? from + ncols : rs->t.count;
	int y = b->y, bottom = b->y + b->h;
	char cell[32];
	attr_t hdr = theme_attr(R_HEADER), dim = theme_attr(R_DIM);

	/* The string itself: done accesses plain, the latest reversed, the rest dim. */
	draw_text(y, b->x, label_w, hdr, tr(u, from ? "page  …" : "page", from ? "页    …" : "页"));
	for (uint32_t i = from; i < to; i++) {
		attr_t a = i + 1 == rs->done ? (theme_attr(R_CHANGED) | A_REVERSE) : i < rs->done ? A_BOLD : dim;
		snprintf(cell, sizeof cell, "%*" PRIu32, cw - 1, refstring_page(rs, i));
		draw_text(y, b->x + label_w + (int)(i - from) * cw + 1, cw - 1, a, cell);
	}
	y++;
	/* One row per frame: what it holds after each access done. */
	for (uint32_t f = 0; f < rs->frames && y < bottom; f++, y++) {
		draw_textf(y, b->x, label_w, hdr, tr(u, "frame %u", "物理页 %u"), f);
		for (uint32_t i = from; i < to && i < rs->done; i++) {
			uint64_t page = rs->contents[(size_t)i * rs->frames + f];
			if (page == TRACE_NO_PAGE)
				continue;
			uint64_t before = i ? rs->contents[(size_t)(i - 1) * rs->frames + f] : TRACE_NO_PAGE;
			bool loaded = rs->steps[i].fault && page != before;
			bool hit = !rs->steps[i].fault && page == refstring_page(rs, i);
			attr_t a = loaded ? theme_attr(R_WARN) | A_BOLD : hit ? theme_attr(R_GOOD) | A_BOLD : theme_attr(R_NORMAL);
			snprintf(cell, sizeof cell, "%*" PRIu64, cw - 1, page);
			draw_text(y, b->x + label_w + (int)(i - from) * cw + 1, cw - 1, a, cell);
		}
	}
	/* The fault mark: a letter, not only a colour. */
	if (y < bottom) {
		draw_text(y, b->x, label_w, hdr, tr(u, "fault", "缺页"));
		for (uint32_t i = from; i < to && i < rs->done; i++)
			draw_text(y, b->x + label_w + (int)(i - from) * cw + cw - 1, 1,
				  rs->steps[i].fault ? theme_attr(R_WARN) | A_BOLD : dim, rs->steps[i].fault ? "F" : "-");
		y++;
	}
	if (y < bottom) {
		draw_text(y, b->x, label_w, hdr, tr(u, "faults", "累计缺页"));
		uint32_t faults = refstring_faults(rs, from);
		for (uint32_t i = from; i < to && i < rs->done; i++) {
			faults += rs->steps[i].fault;
			snprintf(cell, sizeof cell, "%*" PRIu32, cw - 1, faults);
			draw_text(y, b->x + label_w + (int)(i - from) * cw + 1, cw - 1,
				  i + 1 == rs->done ? A_BOLD : theme_attr(R_NORMAL), cell);
		}
		y++;
	}
	/* The legend: page n is the n-th page of the mapping. */
	if (y < bottom) {
		uint64_t vpn = rs->base / rs->page_size;
		draw_textf(y, b->x, b->w, dim, tr(u, "pages 1-%u = VPN %" PRIx64 "-%" PRIx64,
						  "第 1-%u 页 = 虚拟页 %" PRIx64 "-%" PRIx64),
			   rs->npages, vpn, vpn + rs->npages - 1);
		y++;
	}
	if (y < bottom) {
		uint32_t faults = refstring_faults(rs, rs->done), hits = rs->done - faults;
		if (u->lang == LANG_ZH)
			draw_textf(y, b->x, b->w, dim, "%u/%u 次访问：缺页 %u 次，命中 %u 次", rs->done, rs->t.count, faults, hits);
		else
			draw_textf(y, b->x, b->w, dim, "%u of %u accesses: %u fault%s, %u hit%s", rs->done, rs->t.count, faults,
				   faults == 1 ? "" : "s", hits, hits == 1 ? "" : "s");
	}
}
