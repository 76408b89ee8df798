/* shot.c - the screenshot key: what is on the terminal now (curses'
 * curscr), cell by cell with the theme's colours, written as a colour SVG
 * and as plain text: vmviz-YYYYmmdd-HHMMSS.svg and .txt in the current directory. */
#include "app.h"
#include "cellgrid.h"
#include "draw.h"
#include "play.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

static struct cellgrid *grab(void)
{
	int rows = getmaxy(curscr), cols = getmaxx(curscr);
	struct cellgrid *g = cellgrid_new(rows, cols);
	if (!g)
		return NULL;
	for (int y = 0; y < rows; y++) {
		for (int x = 0; x < cols; x++) {
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1];
			attr_t at;
			short pair;
			struct cell *c = cellgrid_at(g, y, x);
			if (mvwin_wch(curscr, y, x, &cc) == ERR ||
			    getcchar(&cc, wc, &at, &pair, NULL) == ERR)
				continue;
			c->ch = wc[0] ? (uint32_t)wc[0] : ' ';
			/* The theme's own colours, not the terminal's: a
			 * terminal's palette is not readable (color_content
			 * guesses), and a small one shows only an
			 * approximation of the design. */
			theme_shot_cell(pair, at, &c->fg, &c->bg, &at);
			c->bold = (at & A_BOLD) != 0;
			c->reverse = (at & A_REVERSE) != 0;
			c->underline = (at & A_UNDERLINE) != 0;
			if (wc[0] && wcwidth(wc[0]) == 2 && x + 1 < cols) {
				/* The right half of a wide character. */
				struct cell *d = cellgrid_at(g, y, ++x);
				*d = *c;
				d->ch = 0;
			}
		}
	}
	return g;
}

/* "vmviz-20250101-120000", with "-2", "-3"... if taken this second. */
static void shot_name(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, size, "vmviz-%s", stamp);
	for (int i = 2; i < 100; i++) {
		char probe[300];
		snprintf(probe, sizeof probe, "%s.svg", buf);
		if (access(probe, F_OK) != 0)
			return;
		snprintf(buf, size, "vmviz-%s-%d", stamp, i);
	}
}

static int write_file(const struct cellgrid *g, const char *path, bool svg, const char *title)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int rc = svg ? cellgrid_write_svg(g, f, title) : cellgrid_write_text(g, f);
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

void ui_screenshot(struct ui *u, const char *name)
{
	/* Make sure curscr holds the latest frame. */
	ui_render(u);
	struct cellgrid *g = grab();
	if (!g) {
		ui_message(u, R_ERROR, "%s", tr(u, "screenshot: out of memory", "截图：内存不足"));
		return;
	}
	char base[260], svg[280], txt[280];
	if (name && *name)
		snprintf(base, sizeof base, "%s", name);
	else
		shot_name(base, sizeof base);
	snprintf(svg, sizeof svg, "%s.svg", base);
	snprintf(txt, sizeof txt, "%s.txt", base);
	const char *title = u->play ? u->play->sc.title : "vmviz";
	errno = 0;
	int rc = write_file(g, svg, true, title);
	if (rc == 0 && write_file(g, txt, false, title) < 0)
		rc = -2;
	if (rc < 0) {
		int why = errno;
		cellgrid_free(g);
		ui_message(u, R_ERROR, "%s %s: %s", tr(u, "screenshot failed:", "截图失败:"), rc == -1 ? svg : txt,
			   why ? strerror(why) : tr(u, "write error", "写入出错"));
		return;
	}
	cellgrid_free(g);
	snprintf(u->note, sizeof u->note, "%s %.150s.svg/.txt", tr(u, "saved", "已保存"), base);
	u->dirty |= D_STATUS;
}
