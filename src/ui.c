// SPDX-License-Identifier: GPL-2.0
/*
 * The lab screen in a terminal: screen.c lays it out on a grid of cells,
 * this file paints the grid with curses (colours and attributes by the
 * cells' roles) and reads the keys.
 */
#include <curses.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interp.h"
#include "lang.h"
#include "lineview.h"
#include "prompt.h"
#include "screen.h"
#include "ui.h"
#include "vmalist.h"

/*
 * Keys: one table for the key loop, the help overlay and the man page.
 * A key with a line runs it through the interpreter as if typed after
 * ':'; a key without one is the screen's own (the queued script, the
 * prompt).  A new key is one row: X(id, key, other key, name, line, help).
 */
#define PT_UI_KEYS(X)                                                                  \
	X(NEXT, 'n', 0, "n", NULL, "run the next event of the script")                 \
	X(BACK, 'b', KEY_LEFT, "b, Left", "back", "show the previous step")            \
	X(FORWARD, 'f', KEY_RIGHT, "f, Right", "step", "show the next step")           \
	X(FIRST, 'g', KEY_HOME, "g, Home", "step 1", "show the first step")            \
	X(LAST, 'G', KEY_END, "G, End", "step last", "show the last step")             \
	X(PROMPT, ':', 0, ":", NULL, "type a command (help lists them)")               \
	X(CHILD, 'c', 0, "c", "child next", "show the next child (--pid)")             \
	X(MAPS, 'm', 0, "m", "maps", "list the process's mappings")                    \
	X(MAPS_UP, 'k', KEY_UP, "k, Up", NULL, "in the list: select the mapping above") \
	X(MAPS_DOWN, 'j', KEY_DOWN, "j, Down", NULL, "in the list: the mapping below") \
	X(MAPS_GO, '\n', KEY_ENTER, "Enter", NULL, "in the list: inspect its start")   \
	X(MAPS_SORT, 'o', 0, "o", NULL, "in the list: sort by bytes copied; again: by start") \
	X(MAPS_CLOSE, 27, 0, "Esc", "maps close", "close the list (q too)")            \
	X(NEXT_POP, ']', 0, "]", "next-populated", "next populated page of the mapping") \
	X(PREV_POP, '[', 0, "[", "prev-populated", "previous populated page of the mapping") \
	X(HELP, '?', 0, "?", "help", "this help")                                      \
	X(QUIT, 'q', 0, "q", "quit", "quit")

enum pt_ui_key {
#define PT_UI_KEY_ENUM(id, key, key2, name, line, help) PT_K_##id,
	PT_UI_KEYS(PT_UI_KEY_ENUM)
#undef PT_UI_KEY_ENUM
	PT_K_NR
};

static const struct {
	int key, key2;
	const char *name, *line, *help;
} pt_ui_keys[] = {
#define PT_UI_KEY_ROW(id, key, key2, name, line, help) { key, key2, name, line, help },
	PT_UI_KEYS(PT_UI_KEY_ROW)
#undef PT_UI_KEY_ROW
};

/* The same rows for the help overlay that screen.c lays out. */
static const char *const pt_ui_key_names[] = {
#define PT_UI_KEY_NAME(id, key, key2, name, line, help) name,
	PT_UI_KEYS(PT_UI_KEY_NAME)
#undef PT_UI_KEY_NAME
};

static const char *const pt_ui_key_helps[] = {
#define PT_UI_KEY_HELP(id, key, key2, name, line, help) help,
	PT_UI_KEYS(PT_UI_KEY_HELP)
#undef PT_UI_KEY_HELP
};

struct pt_ui {
	struct pt_lab *lab;
	struct pt_cursor at;	/* the step and the list this screen shows */
	const char *script;	/* the rest of the queued script */
	bool color;
	bool help;
	bool watch;
	struct pt_follow *follow;	/* watch: where steps come from */
	char status[512];
	const char *dot;	/* the header's separator: "·" where UTF-8 works */
	struct pt_screen screen;	/* the last layout painted */
};

static volatile sig_atomic_t pt_ui_signal;

static void pt_ui_on_signal(int sig)
{
	pt_ui_signal = sig;
}

/* The signals of a crash: the terminal comes back before the crash goes on. */
static const int pt_ui_crash_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
static struct sigaction pt_ui_crash_old[sizeof(pt_ui_crash_sigs) / sizeof(int)];

static void pt_ui_on_crash(int sig)
{
	size_t i;

	/*
	 * endwin() is not async-signal-safe; the process is dying anyway,
	 * and a shell left without echo is worse than a risk at the end.
	 */
	endwin();
	for (i = 0; i < sizeof(pt_ui_crash_sigs) / sizeof(int); i++)
		if (pt_ui_crash_sigs[i] == sig)
			sigaction(sig, &pt_ui_crash_old[i], NULL);
	/* pending until we return, then the old handler's (ASan's) or death */
	raise(sig);
}

static void pt_ui_crash_handlers(bool on)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pt_ui_on_crash;
	for (i = 0; i < sizeof(pt_ui_crash_sigs) / sizeof(int); i++) {
		if (on)
			sigaction(pt_ui_crash_sigs[i], &sa, &pt_ui_crash_old[i]);
		else
			sigaction(pt_ui_crash_sigs[i], &pt_ui_crash_old[i], NULL);
	}
}

/* The terminal as both screens (the lab's and a lesson's) want it, once
 * initscr() has it: keys unbuffered and unechoed, no cursor. */
static void pt_ui_term_modes(void)
{
	pt_ui_crash_handlers(true);
	set_escdelay(25);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
}

static attr_t pt_attr(struct pt_ui *ui, enum pt_ui_color c)
{
	if (!ui->color) {
		switch (c) {
		case PT_COL_HEADER:
		case PT_COL_TITLE:
			return A_BOLD;
		case PT_COL_SET:
			return A_BOLD;
		case PT_COL_CHANGED:
			return A_REVERSE;
		case PT_COL_ERROR:
			return A_BOLD | A_UNDERLINE;
		default:
			return A_NORMAL;
		}
	}
	switch (c) {
	case PT_COL_SET:
		return COLOR_PAIR(c) | A_BOLD;
	case PT_COL_CLEAR:
		return COLOR_PAIR(c) | A_DIM;
	case PT_COL_CHANGED:
		return COLOR_PAIR(c) | A_BOLD | A_REVERSE;
	case PT_COL_HEADER:
	case PT_COL_TITLE:
		return COLOR_PAIR(c) | A_BOLD;
	default:
		return COLOR_PAIR(c);
	}
}

static void pt_ui_colors(struct pt_ui *ui)
{
	const char *nc = getenv("NO_COLOR");

	ui->color = has_colors() && !(nc && *nc);
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	init_pair(PT_COL_HEADER, COLOR_CYAN, -1);
	init_pair(PT_COL_SET, COLOR_WHITE, -1);
	init_pair(PT_COL_CLEAR, COLOR_WHITE, -1);
	init_pair(PT_COL_CHANGED, COLOR_YELLOW, -1);
	init_pair(PT_COL_ERROR, COLOR_RED, -1);
	init_pair(PT_COL_TITLE, COLOR_GREEN, -1);
	init_pair(PT_COL_OK, COLOR_GREEN, -1);
}

/* The box characters as curses draws them in any locale. */
static chtype pt_acs(uint32_t ch)
{
	switch (ch) {
	case PT_BOX_H:
		return ACS_HLINE;
	case PT_BOX_V:
		return ACS_VLINE;
	case PT_BOX_UL:
		return ACS_ULCORNER;
	case PT_BOX_UR:
		return ACS_URCORNER;
	case PT_BOX_LL:
		return ACS_LLCORNER;
	case PT_BOX_LR:
		return ACS_LRCORNER;
	default:
		return 0;
	}
}

/* Paints the grid: each run of cells of one role with one attribute. */
static void pt_ui_paint(struct pt_ui *ui, const struct pt_screen *sc)
{
	char *buf = malloc((size_t)sc->cols * 4 + 1);
	int y, x, x0;
	size_t n;

	if (!buf)
		return;
	for (y = 0; y < sc->rows; y++) {
		const struct pt_cell *row = &sc->cell[y * sc->cols];

		for (x = 0; x < sc->cols;) {
			enum pt_ui_color role = row[x].role;

			if (pt_acs(row[x].ch)) {
				/* addch merges the window's attributes in */
				attrset(pt_attr(ui, role));
				mvaddch(y, x, pt_acs(row[x].ch));
				x++;
				continue;
			}
			for (x0 = x, n = 0; x < sc->cols && row[x].role == role &&
					    !pt_acs(row[x].ch); x++)
				pt_utf8_put(buf, &n, row[x].ch);
			buf[n] = '\0';
			attrset(pt_attr(ui, role));
			/* the bottom right cell: curses answers ERR, having drawn it */
			mvaddstr(y, x0, buf);
		}
	}
	attrset(A_NORMAL);
	free(buf);
}

static void pt_ui_draw(struct pt_ui *ui)
{
	struct pt_screen *sc = &ui->screen;
	struct pt_err err;

	sc->lab = ui->lab;
	sc->at = &ui->at;
	sc->script = ui->script;
	sc->status = ui->status;
	sc->dot = ui->dot;
	sc->watch = ui->watch || !ui->lab->owned;	/* a replay of --pid too */
	sc->help = ui->help;
	sc->mono = !ui->color;
	sc->key_names = pt_ui_key_names;
	sc->key_helps = pt_ui_key_helps;
	sc->nr_keys = PT_K_NR;
	erase();
	if (pt_screen_draw(sc, LINES, COLS, &err) == 0)
		pt_ui_paint(ui, sc);
	refresh();
}

static int pt_ui_getc(void *ctx)
{
	struct pt_ui *ui = ctx;
	int c;

	for (;;) {
		c = getch();
		if (pt_ui_signal)
			return PT_PROMPT_CANCEL;
		switch (c) {
		case ERR:
			continue;
		case KEY_RESIZE:
			pt_ui_draw(ui);
			continue;
		case 27:
			return PT_PROMPT_CANCEL;
		case KEY_LEFT:
			return 2;	/* readline's C-b */
		case KEY_RIGHT:
			return 6;
		case KEY_UP:
			return 16;
		case KEY_DOWN:
			return 14;
		case KEY_HOME:
			return 1;
		case KEY_END:
			return 5;
		case KEY_BACKSPACE:
			return 127;
		case KEY_DC:
			return 4;
		case KEY_ENTER:
			return '\n';
		default:
			return c < 256 ? c : 0;
		}
	}
}

static void pt_ui_redisplay(void *ctx, const char *prompt, const char *line,
			    int point)
{
	struct pt_ui *ui = ctx;
	int plen = (int)strlen(prompt);

	(void)ui;
	move(LINES - 1, 0);
	clrtoeol();
	mvaddnstr(LINES - 1, 0, prompt, COLS);
	mvaddnstr(LINES - 1, plen, line, COLS - plen);
	move(LINES - 1, plen + point < COLS ? plen + point : COLS - 1);
	refresh();
}

/* A line of the command language: the interpreter acts, the screen reacts. */
static void pt_ui_run_line(struct pt_ui *ui, const char *line, bool *quit)
{
	struct pt_lab *lab = ui->lab;
	struct pt_err err = { 0 };
	struct pt_did did;
	struct pt_cmd cmd;
	char path[64];
	FILE *f;

	ui->status[0] = '\0';
	if (pt_cmd_parse(line, &cmd, &err) < 0) {
		snprintf(ui->status, sizeof(ui->status), "%s", err.msg);
		return;
	}
	/* in a process the user has, ptinspect only moves where it looks */
	if (ui->watch && (pt_cmd_flags(cmd.id) & PT_CMD_EVENT) && cmd.id != PT_C_ADDR &&
	    cmd.id != PT_C_WAIT && cmd.id != PT_C_NEXT_POPULATED &&
	    cmd.id != PT_C_PREV_POPULATED) {
		snprintf(ui->status, sizeof(ui->status),
			 "%s: events act on the lab's own processes (ptinspect lab)",
			 pt_cmd_name(cmd.id));
		return;
	}
	if (pt_interp_run(lab, &ui->at, &cmd, &did, &err) < 0) {
		snprintf(ui->status, sizeof(ui->status), "%s", err.msg);
		return;
	}
	if (did.flags & PT_DID_QUIT)
		*quit = true;
	if (did.flags & PT_DID_HELP)
		ui->help = true;
	if ((did.flags & PT_DID_SHOW) && did.form != PT_FORM_VIEW) {
		/* the screen shows the step already: dump, json and screen
		 * write a file to attach to a bug report */
		snprintf(path, sizeof(path), "ptinspect-%s-%d.%s",
			 did.form == PT_FORM_SCREEN ? "screen" : "step", lab->steps[ui->at.cur].n,
			 did.form == PT_FORM_JSON ? "json" : "txt");
		f = fopen(path, "w");
		if (!f) {
			snprintf(ui->status, sizeof(ui->status), "cannot write %s", path);
			return;
		}
		if (pt_lineview_react(f, lab, &ui->at, &did, false, &err) < 0)
			snprintf(ui->status, sizeof(ui->status), "%s", err.msg);
		else
			snprintf(ui->status, sizeof(ui->status), "wrote %s", path);
		fclose(f);
	}
}

/* Up, Down and Enter in the mappings list: `maps N`, then `addr START`. */
static void pt_ui_maps_key(struct pt_ui *ui, int k, bool *quit)
{
	const struct pt_vmalist *l = ui->at.maps;
	char line[64];
	size_t sel;

	if (!l || !l->nr) {
		snprintf(ui->status, sizeof(ui->status), "m lists the mappings first");
		return;
	}
	sel = ui->at.maps_sel;
	if (k == PT_K_MAPS_SORT) {
		pt_ui_run_line(ui, l->sort == PT_VL_SORT_COPIED ?
				   "maps sort start" : "maps sort copied", quit);
		return;
	}
	if (k == PT_K_MAPS_GO) {
		snprintf(line, sizeof(line), "addr 0x%" PRIx64, l->rows[sel].start);
		pt_ui_run_line(ui, line, quit);
		if (!ui->status[0])
			pt_ui_run_line(ui, "maps close", quit);
		return;
	}
	if (k == PT_K_MAPS_UP && sel > 0)
		sel--;
	else if (k == PT_K_MAPS_DOWN && sel + 1 < l->nr)
		sel++;
	snprintf(line, sizeof(line), "maps %zu", sel + 1);
	pt_ui_run_line(ui, line, quit);
}

static int pt_ui_loop(struct pt_ui *ui, int timeout_ms, struct pt_err *err)
{
	struct pt_prompt_ops ops = { pt_ui_getc, pt_ui_redisplay, ui };
	struct pt_lab *lab = ui->lab;
	char line[256], *typed;
	bool quit = false;
	int c, k, ret;

	timeout(timeout_ms);
	while (!quit && !pt_ui_signal) {
		pt_ui_draw(ui);
		c = getch();
		if (c == ERR) {
			if (!ui->watch)
				continue;
			/* on the last step, the screen follows the new ones */
			bool follow = ui->at.cur + 1 >= lab->nr_steps;

			ret = pt_follow_tick(ui->follow, 0, err);
			if (ret < 0)
				return ret;
			if (follow && lab->nr_steps)
				ui->at.cur = lab->nr_steps - 1;
			continue;
		}
		if (ui->help) {
			ui->help = false;
			continue;
		}
		ui->status[0] = '\0';
		if (c == '\r' || c == KEY_ENTER)
			c = '\n';
		/* the list's keys act while it is open; q closes it there */
		if (c == 'q' && ui->at.maps)
			c = 27;
		for (k = 0; k < PT_K_NR; k++)
			if (c == pt_ui_keys[k].key || (pt_ui_keys[k].key2 && c == pt_ui_keys[k].key2))
				break;
		if (k < PT_K_NR && pt_ui_keys[k].line) {
			pt_ui_run_line(ui, pt_ui_keys[k].line, &quit);
		} else if (k == PT_K_NEXT) {
			if (ui->watch || !ui->script || !pt_cmd_next(&ui->script, line, sizeof(line)))
				snprintf(ui->status, sizeof(ui->status),
					 "no more events queued: type one after ':'");
			else
				pt_ui_run_line(ui, line, &quit);
		} else if (k == PT_K_MAPS_UP || k == PT_K_MAPS_DOWN || k == PT_K_MAPS_GO ||
			   k == PT_K_MAPS_SORT) {
			pt_ui_maps_key(ui, k, &quit);
		} else if (k == PT_K_PROMPT) {
			curs_set(1);
			typed = pt_prompt_read(&ops, ":");
			curs_set(0);
			if (typed && *typed)
				pt_ui_run_line(ui, typed, &quit);
			free(typed);
		}
	}
	return 0;
}

static int pt_ui_run(struct pt_ui *ui, int timeout_ms, struct pt_err *err)
{
	struct sigaction sa, old_int, old_term;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pt_ui_on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	setlocale(LC_ALL, "");
	ui->dot = strcmp(nl_langinfo(CODESET), "UTF-8") ? "|" : "·";
	if (!newterm(NULL, stdout, stdin)) {
		ret = pt_err_set(err, PT_USAGE, "cannot start the terminal UI (TERM=%s)",
				 getenv("TERM") ? getenv("TERM") : "");
		goto out_signals;
	}
	pt_ui_term_modes();
	pt_ui_colors(ui);
	ret = pt_ui_loop(ui, timeout_ms, err);
	pt_cursor_close(&ui->at);
	/* the terminal comes back on every way out of the loop */
	endwin();
	pt_ui_crash_handlers(false);
	pt_prompt_history_save();
	pt_screen_free(&ui->screen);
out_signals:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}

int pt_ui_lab(struct pt_lab *lab, const char *script, struct pt_err *err)
{
	struct pt_ui ui = { .lab = lab, .script = script };

	return pt_ui_run(&ui, 250, err);
}

int pt_ui_watch(struct pt_lab *lab, struct pt_follow *f, struct pt_err *err)
{
	/* the last step: --pid shows what it sees now */
	struct pt_ui ui = { .lab = lab, .watch = true, .follow = f,
			    .at.cur = lab->nr_steps ? lab->nr_steps - 1 : 0 };

	snprintf(ui.status, sizeof(ui.status), "%s", f->note);
	/* a fork is shown as it happens, not at the next look */
	return pt_ui_run(&ui, f->tracing && f->interval_ms > 100 ? 100 : f->interval_ms, err);
}

/* ---- ptinspect learn: the grid above, the question pane below ---- */

#define PT_UI_PANE 11

static struct pt_ui pt_ui_learn;
static struct sigaction pt_ui_learn_int, pt_ui_learn_term;

int pt_ui_learn_begin(struct pt_lab *lab, struct pt_err *err)
{
	struct sigaction sa;

	memset(&pt_ui_learn, 0, sizeof(pt_ui_learn));
	pt_ui_learn.lab = lab;
	pt_ui_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pt_ui_on_signal;
	sigaction(SIGINT, &sa, &pt_ui_learn_int);
	sigaction(SIGTERM, &sa, &pt_ui_learn_term);
	setlocale(LC_ALL, "");
	pt_ui_learn.dot = strcmp(nl_langinfo(CODESET), "UTF-8") ? "|" : "·";
	if (!newterm(NULL, stdout, stdin)) {
		sigaction(SIGINT, &pt_ui_learn_int, NULL);
		sigaction(SIGTERM, &pt_ui_learn_term, NULL);
		return pt_err_set(err, PT_USAGE, "cannot start the terminal UI (TERM=%s)",
				  getenv("TERM") ? getenv("TERM") : "");
	}
	pt_ui_term_modes();
	pt_ui_colors(&pt_ui_learn);
	return 0;
}

void pt_ui_learn_end(void)
{
	endwin();
	pt_ui_crash_handlers(false);
	pt_screen_free(&pt_ui_learn.screen);
	sigaction(SIGINT, &pt_ui_learn_int, NULL);
	sigaction(SIGTERM, &pt_ui_learn_term, NULL);
}

/* @s from row @y on, cut at word ends to the width, @max rows at most. */
static int pt_ui_wrap(int y, const char *s, int max, attr_t attr)
{
	int rows = 0, w = COLS > 4 ? COLS - 2 : 2;

	attrset(attr);
	while (*s && rows < max) {
		int n = (int)strlen(s), cut = n;

		if (n > w) {
			for (cut = w; cut > 0 && s[cut] != ' '; cut--)
				;
			if (!cut)
				cut = w;
		}
		mvaddnstr(y + rows, 1, s, cut);
		s += cut;
		while (*s == ' ')
			s++;
		rows++;
	}
	attrset(A_NORMAL);
	return rows;
}

/* The grid of step @step in the rows above the pane, and the pane's title. */
static void pt_ui_learn_draw(const struct pt_ui_ask *a, size_t step)
{
	struct pt_ui *ui = &pt_ui_learn;
	struct pt_screen *sc = &ui->screen;
	char title[256];
	struct pt_err err;
	int top = LINES - PT_UI_PANE, x;

	ui->at.cur = step;
	sc->lab = ui->lab;
	sc->at = &ui->at;
	sc->script = NULL;
	sc->status = ui->status;
	sc->dot = ui->dot;
	sc->watch = false;
	sc->help = false;
	sc->mono = !ui->color;
	sc->key_names = pt_ui_key_names;
	sc->key_helps = pt_ui_key_helps;
	sc->nr_keys = PT_K_NR;
	erase();
	if (top > 4 && pt_screen_draw(sc, top, COLS, &err) == 0) {
		pt_ui_paint(ui, sc);
		/* the lab's own keys do not apply here: the pane's do */
		x = COLS > 50 ? COLS - 46 : 30;
		move(1, x);
		clrtoeol();
		mvaddnstr(1, x, "the keys are in the pane below", COLS - x);
	}
	snprintf(title, sizeof(title), " %s %s question %zu of %zu %s score %zu/%zu ", a->title,
		 ui->dot, a->qno, a->nr_questions, ui->dot, a->right, a->asked);
	attrset(A_REVERSE);
	for (x = 0; x < COLS; x++)
		mvaddch(top < 0 ? 0 : top, x, ' ');
	mvaddnstr(top < 0 ? 0 : top, 0, title, COLS);
	attrset(A_NORMAL);
}

/* Tab: the word's completion among @words (their common prefix). */
static void pt_ui_complete(char *buf, size_t len, const char *const *words)
{
	size_t n = strlen(buf), common = 0, i;
	const char *first = NULL;

	for (i = 0; words && words[i]; i++) {
		size_t c;

		if (strncmp(words[i], buf, n))
			continue;
		if (!first) {
			first = words[i];
			common = strlen(first);
			continue;
		}
		for (c = n; c < common && words[i][c] == first[c]; c++)
			;
		common = c;
	}
	if (first && common < len)
		snprintf(buf, len, "%.*s", (int)common, first);
}

int pt_ui_learn_ask(const struct pt_ui_ask *a, size_t before, char *answer, size_t len)
{
	char line[64] = "", evline[192];
	bool hint = false;
	size_t i;

	for (;;) {
		int top = LINES - PT_UI_PANE, y = top + 1, c;
		char opts[256] = "";

		pt_ui_learn_draw(a, before);
		snprintf(evline, sizeof(evline), "next: %s  (what it does is shown after you answer)",
			 a->event);
		y += pt_ui_wrap(y, evline, 1, A_BOLD);
		y += pt_ui_wrap(y, a->text ? a->text : "", 2, A_NORMAL);
		y += pt_ui_wrap(y, a->question, 2, A_BOLD);
		switch (a->answer) {
		case PT_UI_YESNO:
			snprintf(opts, sizeof(opts), "y) yes   n) no");
			break;
		case PT_UI_CHOICE:
			for (i = 0; i < a->nr_choices; i++)
				snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts), "%c) %s   ",
					 (char)('a' + i), a->choices[i]);
			break;
		case PT_UI_WORD:
			snprintf(opts, sizeof(opts), "a name (Tab completes), Enter: > %s", line);
			break;
		}
		y += pt_ui_wrap(y, opts, 1, A_NORMAL);
		if (hint) {
			snprintf(evline, sizeof(evline), "hint: read %s", a->hint);
			y += pt_ui_wrap(y, evline, 1, A_NORMAL);
		}
		pt_ui_wrap(LINES - 1, a->answer == PT_UI_WORD ? "? a hint   Esc leaves" :
				      "? a hint   q leaves", 1, A_DIM);
		refresh();
		c = getch();
		if (pt_ui_signal)
			return -1;
		if (c == ERR || c == KEY_RESIZE)
			continue;
		if (c == '?') {
			hint = true;
			continue;
		}
		if (c == 27 || (c == 'q' && a->answer != PT_UI_WORD))
			return -1;
		switch (a->answer) {
		case PT_UI_YESNO:
			if (c == 'y' || c == 'n') {
				snprintf(answer, len, "%c", c);
				return 0;
			}
			break;
		case PT_UI_CHOICE:
			if (c >= 'a' && c < 'a' + (int)a->nr_choices) {
				snprintf(answer, len, "%c", c);
				return 0;
			}
			break;
		case PT_UI_WORD:
			if (c == '\t') {
				pt_ui_complete(line, sizeof(line), a->words);
			} else if ((c == '\n' || c == KEY_ENTER) && line[0]) {
				snprintf(answer, len, "%s", line);
				return 0;
			} else if ((c == KEY_BACKSPACE || c == 127 || c == 8) && line[0]) {
				line[strlen(line) - 1] = '\0';
			} else if (((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') &&
				   strlen(line) + 1 < sizeof(line)) {
				line[strlen(line) + 1] = '\0';
				line[strlen(line)] = (char)c;
			}
			break;
		}
	}
}

int pt_ui_learn_tell(const struct pt_ui_ask *a, size_t after, const char *verdict,
		     const char *why)
{
	for (;;) {
		int top = LINES - PT_UI_PANE, y = top + 1, c;
		char evline[192];

		pt_ui_learn_draw(a, after);
		snprintf(evline, sizeof(evline), "step: %s  (shown above)", a->event);
		y += pt_ui_wrap(y, evline, 1, A_BOLD);
		if (a->question)
			y += pt_ui_wrap(y, a->question, 2, A_NORMAL);
		else
			y += pt_ui_wrap(y, a->text ? a->text : "", 2, A_NORMAL);
		y += pt_ui_wrap(y, verdict, 1, A_BOLD);
		pt_ui_wrap(y, why, LINES - 1 - y, A_NORMAL);
		pt_ui_wrap(LINES - 1, "any key: go on   q leaves", 1, A_DIM);
		refresh();
		c = getch();
		if (pt_ui_signal || c == 'q' || c == 27)
			return -1;
		if (c != ERR && c != KEY_RESIZE)
			return 0;
	}
}

void pt_ui_keys_print(FILE *f, bool man)
{
	int i;

	if (man)
		fputs(".Bl -tag -width \"Right, f\" -compact\n", f);
	for (i = 0; i < PT_K_NR; i++) {
		if (man)
			/* \\& keeps mdoc from reading ':' and '?' as punctuation */
			fprintf(f, ".It Cm \\&%s\n%s%s%s%s.\n", pt_ui_keys[i].name, pt_ui_keys[i].help,
				pt_ui_keys[i].line ? " (" : "",
				pt_ui_keys[i].line ? pt_ui_keys[i].line : "",
				pt_ui_keys[i].line ? ")" : "");
		else
			fprintf(f, "  %-10s %-15s %s\n", pt_ui_keys[i].name,
				pt_ui_keys[i].line ? pt_ui_keys[i].line : "", pt_ui_keys[i].help);
	}
	if (man)
		fputs(".El\n", f);
}
