/* help.c - the help overlay (? or F1): keys from the key table, the
 * commands from the command table, and how to read the screen. */
#include "app.h"
#include "draw.h"
#include "keys.h"

#include <stdio.h>
#include <string.h>

struct hline {
	enum role role;
	int indent;
	int hang;          /* where its continuation rows start, past indent */
	char text[300];
};

#define HELP_MAX 160

static int add(struct hline *h, int n, enum role role, int indent, const char *text)
{
	if (n >= HELP_MAX)
		return n;
	h[n].role = role;
	h[n].indent = indent;
	h[n].hang = 4;
	snprintf(h[n].text, sizeof h[n].text, "%s", text);
	return n + 1;
}

/* A two-column row, "NAME  what it does": wrapped rows hang under the
 * second column; a name too long for its column gets a row of its own. */
static int add_row(struct hline *h, int n, int indent, int col, const char *name, const char *what)
{
	char buf[300];
	if (text_width(name) >= col) {
		n = add(h, n, R_NORMAL, indent, name);
		snprintf(buf, sizeof buf, "%*s%s", col + 1, "", what);
	} else {
		snprintf(buf, sizeof buf, "%-*s %s", col + (int)strlen(name) - text_width(name), name, what);
	}
	n = add(h, n, R_NORMAL, indent, buf);
	if (n > 0)
		h[n - 1].hang = col + 1;
	return n;
}

static int build(struct ui *u, struct hline *h)
{
	int n = 0;
	char buf[300];
	n = add(h, n, R_TITLE, 0, tr(u, "vmviz: Linux virtual memory, live", "vmviz：Linux 虚拟内存，实时演示"));
	n = add(h, n, R_NORMAL, 0, "");
	n = add(h, n, R_HEADER, 0, tr(u, "KEYS", "按键"));
	int nk;
	const struct binding *t = keys_table(&nk);
	for (int i = 0; i < nk; i++) {
		if (!t[i].name)
			continue;
		if (!u->play && !(t[i].modes & KM_PROMPT))
			continue;   /* playback keys, without a scenario */
		n = add_row(h, n, 2, 12, t[i].name, tr(u, t[i].help_en, t[i].help_zh));
	}
	n = add(h, n, R_DIM, 2, tr(u, "At the prompt: Up/Down history, Ctrl-R search, Tab completes commands, options and variables.",
				   "输入时：上/下 历史命令，Ctrl-R 搜索，Tab 补全命令、选项和变量。"));
	n = add(h, n, R_DIM, 2, tr(u, "? and Tab act on the screen only when the line is empty.",
				   "? 和 Tab 只在输入行为空时作用于屏幕。"));
	if (u->mouse)
		n = add(h, n, R_DIM, 2, tr(u, "Mouse: click a VMA, a PTE or a frame for its detail (a PTE and its frame are marked "
					      "together); the wheel scrolls the panel under the pointer; click the F-key bar.",
					   "鼠标：点击 VMA、页表项或物理页查看详情（页表项和它的物理页一起标出）；"
					   "滚轮滚动指针下的面板；也可以点击底部的 F 键栏。"));
	if (u->play)
		n = add(h, n, R_DIM, 2, tr(u, "Going back replays the scenario from the start, with the commands typed at : "
					      "where they were typed; r forgets them.",
					   "后退会从头重放场景，在 : 输入的命令也在原处重放；r 会清除它们。"));
	n = add(h, n, R_NORMAL, 0, "");
	n = add(h, n, R_HEADER, 0, tr(u, "READING THE SCREEN", "怎么看屏幕"));
	n = add(h, n, R_NORMAL, 2,
		theme_color() ? tr(u, "Yellow: what the last command changed (frames, PTEs, swap slots).",
				   "黄色：上一条命令改变的东西（物理页、页表项、swap 槽）。")
			      : tr(u, "Reversed: what the last command changed (frames, PTEs, swap slots).",
				   "反色：上一条命令改变的东西（物理页、页表项、swap 槽）。"));
	n = add(h, n, R_NORMAL, 2, tr(u, "Address space: high addresses on top; rss = resident; the brk line is the end of the heap.",
				      "地址空间：高地址在上；rss = 驻留内存；brk 线是堆顶。"));
	n = add(h, n, R_NORMAL, 2, tr(u, "A row may join a file's mappings; perm 'mix' means they differ (maps, or a taller window, lists each).",
				      "一行可能合并同一文件的多个映射；权限“多种”表示它们各不相同（maps 或更高的窗口会逐个列出）。"));
	n = add(h, n, R_NORMAL, 2, tr(u, "Page table: VPN -> frame (pfn), swap slot or zero page; bits P W U A D NX, - clear, r read-only.",
				      "页表：虚拟页号 -> 物理页 (pfn)、swap 槽或零页；位 P W U A D NX，- 未置位，r 只读。"));
	n = add(h, n, R_NORMAL, 2,
		theme_color() ? tr(u, "Frames: one colour per process; violet = shared; grey = kernel; label = low digits of the page's VPN.",
				   "物理页：每个进程一种颜色；紫色 = 共享；灰色 = 内核；标签 = 虚拟页号的低位。")
			      : tr(u, "Frames: label = low digits of the page's VPN; the legend below the grid shows each kind's look.",
				   "物理页：标签 = 虚拟页号的低位；网格下方的图例说明每种物理页的样子。"));
	const struct glyphs *g = theme_glyphs();
	snprintf(buf, sizeof buf, tr(u, "%s referenced, %s dirty, %s the CLOCK hand (or the next FIFO/LRU victim).",
				     "%s 已访问，%s 脏页，%s CLOCK 指针（或 FIFO/LRU 下一个淘汰者）。"),
		 g->ref, g->dirty, g->hand);
	n = add(h, n, R_NORMAL, 2, buf);
	n = add(h, n, R_DIM, 2, tr(u, "FIFO, LRU and CLOCK are the textbook policies; Linux keeps active/inactive LRU lists "
				      "and uses the Accessed bit, a second-chance scheme close to CLOCK.",
				   "FIFO、LRU、CLOCK 是教科书算法；Linux 用 active/inactive 两个 LRU 链表"
				   "配合 Accessed 位，是接近 CLOCK 的二次机会算法。"));
	n = add(h, n, R_NORMAL, 0, "");
	n = add(h, n, R_HEADER, 0, tr(u, "COMMANDS (C-like forms work too: p = malloc(8192), p[0] = 1, free(p))",
				      "命令（也可以写成 C 的样子：p = malloc(8192)、p[0] = 1、free(p)）"));
	size_t nc;
	const struct command *c = command_table(&nc);
	for (size_t i = 0; i < nc; i++) {
		n = add_row(h, n, 2, 34, c[i].usage, c[i].help);
	}
	return n;
}

/* Help lines wrapped to the screen width, as rows. */
struct hrow {
	const struct hline *l;
	size_t off, len;
	int indent;
};

#define HELP_ROWS 400

void help_draw(struct ui *u)
{
	static struct hline lines[HELP_MAX];
	static struct hrow rows[HELP_ROWS];
	int n = build(u, lines);
	/* The overlay covers everything above the prompt. */
	int top = 1, bottom = u->lay.prompt.y;
	int h = bottom - top - 2, w = u->lay.cols;
	int nr = 0;
	for (int i = 0; i < n && nr < HELP_ROWS; i++) {
		const char *t = lines[i].text;
		size_t off = 0;
		int indent = lines[i].indent;
		do {
			size_t k = text_wrap(t + off, w - 4 - indent);
			rows[nr].l = &lines[i];
			rows[nr].off = off;
			rows[nr].len = k;
			rows[nr].indent = indent;
			nr++;
			off += k;
			while (t[off] == ' ')
				off++;
			indent = lines[i].indent + lines[i].hang;
			if (w - 4 - indent < 16)
				indent = lines[i].indent + 4;
		} while (t[off] && nr < HELP_ROWS);
	}
	struct rect r = {top, 0, 1, w};
	for (int y = top; y < bottom; y++)
		draw_fill(y, 0, w, theme_attr(R_NORMAL));
	draw_title(&r, tr(u, "Help", "帮助"), tr(u, "PgUp/PgDn scroll, any other key closes", "PgUp/PgDn 滚动，其他键关闭"), true);
	if (u->help_scroll > nr - h)
		u->help_scroll = nr - h;
	if (u->help_scroll < 0)
		u->help_scroll = 0;
	for (int i = 0; i < h && u->help_scroll + i < nr; i++) {
		const struct hrow *hr = &rows[u->help_scroll + i];
		char buf[300];
		snprintf(buf, sizeof buf, "%.*s", (int)hr->len, hr->l->text + hr->off);
		draw_text(top + 1 + i, 2 + hr->indent, w - 3 - hr->indent, theme_attr(hr->l->role), buf);
	}
	if (u->help_scroll + h < nr)
		draw_text(bottom - 1, w - 2, 1, theme_attr(R_DIM), theme_glyphs()->down);
}
