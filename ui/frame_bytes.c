/* frame_bytes.c - a few rows of the focused frame's bytes, xxd style, under
 * the frames grid: what the last command stored is there to read. */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

/* The 16-byte row to start at: the one the last access touched when it was
 * in this frame, else the first that is not all zero. */
static uint64_t first_row(const struct vm *vm, uint32_t pfn, const uint8_t *d)
{
	const struct walk *w = &vm->last;
	if (w->valid && w->pfn == (int64_t)pfn)
		return (w->va & (vm->arch.page_size - 1)) / 16;
	for (uint64_t r = 0; d && r < vm->arch.page_size / 16; r++)
		for (int i = 0; i < 16; i++)
			if (d[r * 16 + (uint64_t)i])
				return r;
	return 0;
}

int frame_bytes_draw(const struct ui *u, uint32_t pfn, int y, int rows, const struct rect *b)
{
	const struct vm *vm = u->m.vm;
	/* 16 bytes need "00001000: " + 39 + 2 + 16 columns, 8 bytes 38. */
	int per = b->w - 1 >= 67 ? 16 : b->w - 1 >= 38 ? 8 : 0;
	if (!vm || pfn >= vm->nframes || rows <= 0 || per == 0)
		return 0;
	const uint8_t *d = vm->frames[pfn].data; /* NULL: all zero */
	uint64_t row = first_row(vm, pfn, d) * 16 / (uint64_t)per;
	uint64_t nrows = vm->arch.page_size / (uint64_t)per;
	if (row + (uint64_t)rows > nrows)
		row = nrows > (uint64_t)rows ? nrows - (uint64_t)rows : 0;
	int drawn = 0;
	for (; drawn < rows && row < nrows; drawn++, row++) {
		uint64_t off = row * (uint64_t)per;
		char hex[48], text[17];
		int h = 0;
		for (int i = 0; i < per; i++) {
			uint8_t c = d ? d[off + (uint64_t)i] : 0;
			h += snprintf(hex + h, sizeof hex - (size_t)h, "%02x%s", c, i % 2 && i + 1 < per ? " " : "");
			text[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		text[per] = 0;
		/* The physical address: frame * page size + offset. */
		uint64_t pa = (uint64_t)pfn * vm->arch.page_size + off;
		int x = b->x + 1;
		x += draw_textf(y + drawn, x, b->x + b->w - x, theme_attr(R_DIM), "%08llx: ", (unsigned long long)pa);
		x += draw_text(y + drawn, x, b->x + b->w - x, theme_attr(R_NORMAL), hex);
		x += draw_text(y + drawn, x, b->x + b->w - x, theme_attr(R_NORMAL), "  ");
		draw_text(y + drawn, x, b->x + b->w - x, theme_attr(R_BOLD), text);
	}
	return drawn;
}
