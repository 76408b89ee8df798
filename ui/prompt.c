/* prompt.c - GNU readline, callback interface, drawn by curses.
 *
 * 1. curses is set up first; readline is told not to touch the terminal:
 *    no signal handlers, no SIGWINCH, no LINES/COLUMNS, no prep/deprep.
 * 2. readline reads its bytes through getc_fn from `pending`, which
 *    prompt_feed fills one byte at a time before rl_callback_read_char.
 * 3. readline's redisplay only marks the prompt dirty; the render pass
 *    draws rl_display_prompt + rl_line_buffer into the input window.
 * 4. Completion lists are not printed: the display hook puts them on the
 *    message line under the prompt.
 * 5. An escape sequence reaches readline only if its keymap binds the
 *    whole of it (prompt_key_bound): fed an unbound one (F5 is ESC [ 1 5 ~)
 *    readline would type its tail. Mouse reports never reach it (keys.c
 *    names them, mouse.c acts on them).
 */
#include "prompt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "app.h"
#include "draw.h"
#include "play.h"

#define HISTORY_MAX 1000
#define PROMPT "vmviz> "

static struct ui *U;
static int pending = -1;
static char hist_path[1024];
static FILE *devnull;
static bool cancelling;   /* the line readline accepts next is dropped */

static int getc_fn(FILE *f)
{
	(void)f;
	int c = pending;
	pending = -1;
	return c < 0 ? EOF : c;
}

static int avail_fn(void)
{
	return pending >= 0;
}

static void redisplay_fn(void)
{
	U->dirty |= D_PROMPT;
}

static void line_fn(char *line)
{
	if (cancelling) {
		cancelling = false;
		free(line);
		return;
	}
	if (line && *line) {
		HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
		if (!last || strcmp(last->line, line) != 0) {
			add_history(line);
			/* Append as we go, so a crash keeps what was typed. */
			if (hist_path[0] && append_history(1, hist_path) != 0)
				write_history(hist_path);
		}
	}
	ui_on_line(U, line);
	free(line);
}

/* Completion, by what the word may be at that place of the line: a
 * command name first (or after "x ="), a setting after "set", a policy
 * after "set policy", protections after mmap's length, names and
 * variables after expect, pids after proc, kill, smaps and status, variables where an
 * address goes. */
enum src { S_END, S_CMDS, S_VARS, S_PIDS, S_WORDS };

static const char *const set_words[] = {"policy", "frames", "swap", "tlb", "lang", NULL};
static const char *const policy_words[] = {"fifo", "lru", "clock", NULL};
static const char *const lang_words[] = {"en", "zh", NULL};
static const char *const prot_words[] = {"r", "rw", "rx", "rwx", "none", "shared", NULL};
static const char *const expect_words[] = {
	"rss", "vsz", "minflt", "majflt", "faults", "swapins", "swapouts", "free_frames",
	"swap_used", "procs", "pid", "brk", "evictions", "fault", "policy", "none", "minor",
	"major", "segv", "oom", "fifo", "lru", "clock", "alive", "pfn", "present", "swapped",
	"mapcount", "dirty", NULL};

static struct {
	enum src src[3];
	const char *const *words;  /* for S_WORDS */
	int phase;
	size_t index, len;
	char pids[VM_MAX_PROCS][12];
	int npids;
} comp;

static char *gen(const char *text, int state)
{
	if (!state) {
		comp.phase = 0;
		comp.index = 0;
		comp.len = strlen(text);
	}
	while (comp.phase < 3) {
		const char *cand = NULL;
		switch (comp.src[comp.phase]) {
		case S_END:
			return NULL;
		case S_CMDS: {
			size_t n;
			const struct command *t = command_table(&n);
			if (comp.index < n)
				cand = t[comp.index].name;
			break;
		}
		case S_VARS:
			if (comp.index < (size_t)U->s->nvars)
				cand = U->s->vars[comp.index].name;
			break;
		case S_PIDS:
			if (comp.index < (size_t)comp.npids)
				cand = comp.pids[comp.index];
			break;
		case S_WORDS:
			cand = comp.words[comp.index];
			break;
		}
		comp.index++;
		if (!cand) {
			comp.phase++;
			comp.index = 0;
			continue;
		}
		if (strncmp(cand, text, comp.len) == 0)
			return strdup(cand);
	}
	return NULL;
}

static bool is_break(char c)
{
	return c && strchr(rl_completer_word_break_characters, c) != NULL;
}

static void sources(enum src a, enum src b, const char *const *words)
{
	comp.src[0] = a;
	comp.src[1] = b;
	comp.src[2] = S_END;
	comp.words = words;
}

/* Sets comp.src for the word that starts at start in line. */
static void context(const char *line, int start)
{
	/* The words before it; a C-like "x = f(...)" counts from f. */
	char words[4][32];
	int n = 0;
	for (int i = 0; i < start;) {
		while (i < start && is_break(line[i])) {
			if (line[i] == '=' && n == 1 && line[i + 1] != '=')
				n = 0;   /* "x = ": what follows is the command */
			i++;
		}
		int j = i;
		while (j < start && !is_break(line[j]))
			j++;
		if (j > i && n < 4) {
			snprintf(words[n], sizeof words[n], "%.*s", j - i, line + i);
			n++;
		}
		i = j;
	}
	if (n == 0) {
		sources(S_CMDS, S_VARS, NULL);
		return;
	}
	const char *cmd = words[0];
	if (!strcmp(cmd, "set")) {
		const char *const *w = NULL;
		if (n == 1)
			w = set_words;
		else if (n == 2)
			w = !strcmp(words[1], "policy") ? policy_words
			  : !strcmp(words[1], "lang") ? lang_words : NULL;
		sources(S_WORDS, S_END, w);
	} else if (!strcmp(cmd, "help"))
		sources(n == 1 ? S_CMDS : S_END, S_END, NULL);
	else if (!strcmp(cmd, "mmap"))
		sources(n >= 2 ? S_WORDS : S_VARS, S_END, prot_words);
	else if (!strcmp(cmd, "expect"))
		sources(S_WORDS, S_VARS, expect_words);
	else if (!strcmp(cmd, "proc") || !strcmp(cmd, "kill") || !strcmp(cmd, "smaps") || !strcmp(cmd, "status"))
		sources(S_PIDS, S_END, NULL);
	else if (!strcmp(cmd, "say"))
		sources(S_WORDS, S_END, lang_words);
	else
		sources(S_VARS, S_END, NULL);
	if (comp.src[0] == S_WORDS && !comp.words)
		comp.src[0] = S_END;
	comp.npids = 0;
	const struct vm *vm = U->s->vm;
	for (int i = 0; vm && i < vm->nprocs && comp.npids < VM_MAX_PROCS; i++)
		if (vm->procs[i])
			snprintf(comp.pids[comp.npids++], sizeof comp.pids[0], "%d", vm->procs[i]->pid);
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;  /* never file names */
	context(rl_line_buffer, start);
	return rl_completion_matches(text, gen);
}

static void show_matches(char **matches, int num, int maxlen)
{
	(void)maxlen;
	size_t n = 0;
	char *m = U->msg;
	n += (size_t)snprintf(m, sizeof U->msg, "%s", tr(U, "completions: ", "可选: "));
	for (int i = 1; i <= num && n < sizeof U->msg; i++)
		n += (size_t)snprintf(m + n, sizeof U->msg - n, "%s  ", matches[i]);
	U->msg_role = R_DIM;
	U->dirty |= D_MESSAGE | D_PROMPT;
}

bool prompt_history_file(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && *xdg)
		n = snprintf(buf, size, "%s/vmviz/history", xdg);
	else if (home && *home)
		n = snprintf(buf, size, "%s/.local/state/vmviz/history", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

/* mkdir -p of the directory part of path. */
static void make_dirs(const char *path)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s", path);
	char *slash = strrchr(tmp, '/');
	if (!slash)
		return;
	*slash = 0;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(tmp, 0700);
		*p = '/';
	}
	mkdir(tmp, 0700);
}

/* readline 8.2's vi mode pushes keys back all the time (motions, counts),
 * and its callback loop runs pushed keys after readline_internal_char or a
 * nested rl_callback_read_char has returned, with _rl_top_level still
 * pointing into that finished frame: an abort then longjmps into it (Alt-
 * Ctrl-J, Esc Esc [ 1 and a non-ASCII key crash; found by fuzz_keys.c).
 * The prompt stays in emacs mode: Alt-Ctrl-J, or "set editing-mode vi" in
 * an inputrc read again with Ctrl-X Ctrl-R, is undone before the next key. */
static void stay_in_emacs_mode(void)
{
	if (rl_editing_mode != 1) /* 1: emacs */
		rl_emacs_editing_mode(1, 0);
}

int prompt_init(struct ui *u)
{
	U = u;
	devnull = fopen("/dev/null", "w");
	rl_readline_name = "vmviz";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = getc_fn;
	rl_input_available_hook = avail_fn;
	rl_redisplay_function = redisplay_fn;
	rl_attempted_completion_function = complete;
	rl_completion_display_matches_hook = show_matches;
	rl_completer_word_break_characters = " \t\n=()[],+\"";
	if (devnull)
		rl_outstream = devnull;
	rl_variable_bind("bell-style", "none");
	/* One Tab lists the candidates (on the message line). */
	rl_variable_bind("show-all-if-ambiguous", "on");
	using_history();
	/* Not stifle_history: a stifled add_history frees the oldest entry,
	 * and readline 8.2 can still read it; after "d Alt-2 Enter" a Ctrl-R
	 * search did (heap-use-after-free, found by tests/fuzz_keys.c). The
	 * file is cut to HISTORY_MAX lines at the end instead. */
	if (prompt_history_file(hist_path, sizeof hist_path)) {
		make_dirs(hist_path);
		read_history(hist_path);
	}
	rl_callback_handler_install(PROMPT, line_fn);
	stay_in_emacs_mode(); /* an inputrc may have said vi */
	/* After the user's inputrc: C-j must end a search (see prompt_feed). */
	rl_variable_bind("isearch-terminators", "\"\\C-[\\C-j\"");
	return 0;
}

void prompt_shutdown(void)
{
	/* A search or an argument in progress holds readline state (the
	 * search's terminators) that the next prompt_init would free. */
	rl_callback_sigcleanup();
	rl_free_line_state();
	rl_callback_handler_remove();
	if (hist_path[0])
		history_truncate_file(hist_path, HISTORY_MAX);
	if (devnull) {
		rl_outstream = stdout;
		fclose(devnull);
		devnull = NULL;
	}
}

const char *prompt_history_path(void)
{
	return hist_path;
}

/* readline takes repeat counts up to a million (Esc 9 9 9 9 9 9 ~, or
 * M-999999 in emacs mode): a million undo entries and seconds of work for
 * one key, or a million characters typed at once past the line limit.
 * No count needs more than the room left on the line. */
static void clamp_count(void)
{
	int room = SESSION_LINE_MAX - 1 - rl_end;
	if (room < 1)
		room = 1;
	if (rl_numeric_arg > room)
		rl_numeric_arg = room;
	else if (rl_numeric_arg < -room)
		rl_numeric_arg = -room;
}

/* readline 8.2 keeps the undo list of an edited history line in the
 * entry's data and, after some key sequences (searches and history moves
 * over edited lines), frees nodes of it that the line being edited still
 * holds: a double free at the next Enter (AddressSanitizer, about one run
 * in eight of tests/screen_keys.sh). Taking those lists out of the entries
 * leaves one undo list, the line's own, which readline pops consistently;
 * an edited history line keeps its edit instead of being reverted. The
 * lists are kept here, never freed: readline may still share their nodes. */
static void forget_history_undo(void)
{
	static void **kept;
	static size_t nkept, cap;
	for (int i = 0; i < history_length; i++) {
		HIST_ENTRY *h = history_get(history_base + i);
		if (!h || !h->data)
			continue;
		if (nkept == cap) {
			size_t more = cap ? 2 * cap : 64;
			void **k = realloc(kept, more * sizeof *k);
			if (!k)
				return; /* keep the entry's list: no worse than before */
			kept = k;
			cap = more;
		}
		kept[nkept++] = h->data;
		h->data = NULL;
	}
}

static bool is_control(int c)
{
	return c < ' ' || c == 127;
}

static void feed_one(int c)
{
	/* What moves through the history: a control key, or the key after one
	 * (Esc <, Ctrl-X ...). */
	static int prev;
	bool may_move = is_control(c) || is_control(prev);
	prev = c;
	pending = c;
	rl_callback_read_char();
	stay_in_emacs_mode();
	clamp_count();
	if (may_move)
		forget_history_undo();
}

/* readline 8.2's callback loop (callback.c) runs again while keys are
 * pushed back, but readline_internal_char leaves _rl_top_level pointing into
 * its own finished stack frame. An incremental search that ends on a prefix
 * key (C-x, Esc) pushes two keys back; when the second aborts (C-x 1 is
 * unbound), readline longjmps into that dead frame and the program crashes.
 * Ending the search first with C-j, one of its terminators, gives the prefix
 * key a call of its own, which sets _rl_top_level afresh. */
static bool ends_search_as_prefix(int c)
{
	return RL_ISSTATE(RL_STATE_ISEARCH) && rl_get_keymap()[c].type == ISKMAP;
}

/* A key that would make the line longer than the parser takes. */
static bool too_long(int c)
{
	return c >= ' ' && c != 127 && rl_end >= SESSION_LINE_MAX - 1 &&
	       !RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_MULTIKEY);
}

void prompt_feed(const unsigned char *bytes, int n)
{
	for (int i = 0; i < n; i++) {
		if (too_long(bytes[i])) {
			ui_message(U, R_ERROR, tr(U, "line too long (at most %d characters)",
						  "这一行太长（最多 %d 个字符）"), SESSION_LINE_MAX - 1);
			continue;
		}
		if (ends_search_as_prefix(bytes[i]))
			feed_one('\n');
		feed_one(bytes[i]);
	}
}

/* Walks readline's current keymap along the sequence: bound only when the
 * whole sequence ends on a function or a macro. An unbound sequence fed to
 * readline would have its tail typed ("~" for F5) or ring the bell. */
bool prompt_key_bound(const unsigned char *seq, int n)
{
	Keymap map = rl_get_keymap();
	for (int i = 0; map && i < n; i++) {
		const KEYMAP_ENTRY *e = &map[seq[i]];
		if (e->type == ISKMAP) {
			if (i + 1 == n)
				return false;  /* only the start of longer ones */
			map = (Keymap)e->function; /* a prefix: its function field is the next map */
			continue;
		}
		return i + 1 == n && e->function != NULL;
	}
	return false;
}

bool prompt_line_empty(void)
{
	return rl_end == 0;
}

/* Ctrl-C, and Esc back to the script: the line is dropped. It goes through
 * readline's own accept path, discarded in line_fn, rather than
 * rl_free_line_state: that frees the undo list an edited history line or
 * a search's saved line may still point to, and a later Enter read it
 * after free (found by AddressSanitizer under tests/screen_keys.sh).
 * A search, a half-typed key sequence or a numeric argument is first
 * ended with Ctrl-G, as a user would. */
void prompt_cancel(void)
{
	const int busy = RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_MULTIKEY | RL_STATE_NUMERICARG |
			 RL_STATE_VIMOTION | RL_STATE_CHARSEARCH;
	for (int i = 0; i < 4 && RL_ISSTATE(busy); i++)
		feed_one(7);
	cancelling = true;
	feed_one('\r');
	if (cancelling) {
		/* Return is not accept-line here (an inputrc rebound it). */
		cancelling = false;
		rl_callback_sigcleanup();
		rl_free_line_state();
		rl_callback_handler_remove();
		rl_callback_handler_install(PROMPT, line_fn);
	stay_in_emacs_mode(); /* an inputrc may have said vi */
	}
	rl_point = rl_end = rl_mark = 0;
	rl_line_buffer[0] = 0;
	U->dirty |= D_PROMPT;
}

/* The columns of one character at s (n bytes left); *len gets its bytes. */
static int char_cols(const char *s, size_t n, size_t *len)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	wchar_t wc;
	size_t k = mbrtowc(&wc, s, n, &st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*len = 1;
		return 1;
	}
	*len = k;
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

static void put(WINDOW *w, attr_t a, const char *s, int maxw)
{
	int cols;
	size_t n = text_fit(s, maxw, &cols);
	wattrset(w, a);
	waddnstr(w, s, (int)n);
}

/* The line being edited, scrolled sideways so the cursor stays visible.
 * One pass over the line, so a long paste redraws in linear time. */
static void draw_edit(struct ui *u, WINDOW *w, int cols)
{
	const char *pr = rl_display_prompt ? rl_display_prompt : PROMPT;
	int pw = text_width(pr);
	put(w, theme_attr(R_PROMPT), pr, cols - 1);
	const char *line = rl_line_buffer ? rl_line_buffer : "";
	size_t end = strlen(line), point = rl_point < 0 ? 0 : (size_t)rl_point;
	if (point > end)
		point = end;
	int avail = cols - pw - 1;
	int curw = 0;
	for (size_t i = 0, k; i < point; i += k)
		curw += char_cols(line + i, end - i, &k);
	/* Skip whole characters from the left until the cursor fits. */
	size_t start = 0;
	int shift = 0;
	while (start < point && curw - shift > avail) {
		size_t k;
		shift += char_cols(line + start, end - start, &k);
		start += k;
	}
	put(w, theme_attr(R_NORMAL), line + start, avail);
	if (u->mode == MODE_PLAY_PROMPT && rl_end == 0) {
		const char *hint = tr(u, "  (Esc or Enter: back to the script)", "  (Esc 或回车：回到脚本)");
		put(w, theme_attr(R_DIM), hint, avail);
	}
	wmove(w, 0, pw + curw - shift);
	curs_set(1);
}

static void key_hint(WINDOW *w, const char *key, const char *what, int *x, int cols)
{
	int need = text_width(key) + text_width(what) + 4;
	if (*x + need > cols)
		return;
	wmove(w, 0, *x);
	put(w, theme_attr(R_KEY), " ", 1);
	put(w, theme_attr(R_KEY), key, cols - *x);
	put(w, theme_attr(R_KEY), " ", 1);
	put(w, theme_attr(R_NORMAL), " ", 1);
	put(w, theme_attr(R_DIM), what, cols - *x);
	*x += need;
}

void prompt_draw(struct ui *u)
{
	WINDOW *w = u->inwin;
	int cols = getmaxx(w);
	wattrset(w, theme_attr(R_NORMAL));
	werase(w);
	wmove(w, 0, 0);
	switch (u->mode) {
	case MODE_PROMPT:
	case MODE_PLAY_PROMPT:
		draw_edit(u, w, cols);
		return;
	case MODE_GOTO: {
		char buf[80];
		snprintf(buf, sizeof buf, "%s ", tr(u, "go to step:", "跳到第几步:"));
		put(w, theme_attr(R_PROMPT), buf, cols);
		put(w, theme_attr(R_NORMAL), u->goto_buf, cols);
		put(w, theme_attr(R_DIM), tr(u, "   (Enter: go, Esc: cancel)", "   (回车确定，Esc 取消)"), cols);
		wmove(w, 0, text_width(buf) + (int)strlen(u->goto_buf));
		curs_set(1);
		return;
	}
	case MODE_PLAY: {
		if (u->play && u->play->moments.banner[0]) {
			/* The moment of this step, where the keys' reminder was:
			 * one bold bar across the screen. */
			attr_t a = theme_attr(u->play->moments.role) | A_REVERSE | A_BOLD;
			char text[400];
			snprintf(text, sizeof text, " %s %s ", theme_ascii() ? "!" : "⚡", u->play->moments.banner);
			wbkgdset(w, ' ' | a);
			werase(w);
			int tw = text_width(text);
			wmove(w, 0, tw < cols ? (cols - tw) / 2 : 0);
			put(w, a, text, cols);
			wbkgdset(w, ' ' | theme_attr(R_NORMAL));
			curs_set(0);
			return;
		}
		int x = 0;
		const char *lr = theme_ascii() ? "<-" : "←";
		key_hint(w, "Space", tr(u, "next", "下一步"), &x, cols);
		key_hint(w, lr, tr(u, "back", "上一步"), &x, cols);
		key_hint(w, "a", tr(u, "auto", "自动"), &x, cols);
		key_hint(w, ":", tr(u, "command", "输入命令"), &x, cols);
		key_hint(w, "g", tr(u, "go to", "跳转"), &x, cols);
		key_hint(w, "?", tr(u, "help", "帮助"), &x, cols);
		key_hint(w, "q", tr(u, "quit", "退出"), &x, cols);
		curs_set(0);
		return;
	}
	}
}
