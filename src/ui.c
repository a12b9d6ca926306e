// SPDX-License-Identifier: GPL-2.0
/*
 * The lab screen (../shared/design/SCREEN.md): what am I looking at (the
 * header), what just happened (the step and the bits it changed), why
 * (the changes, spelled out), how did we get here (the timeline), and a
 * prompt to act.  Parent and child side by side, stacked when narrow.
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
#include "prompt.h"
#include "report.h"
#include "report_lab.h"
#include "ui.h"

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

/* Colours by meaning. */
enum pt_ui_color {
	PT_COL_NONE,
	PT_COL_HEADER,
	PT_COL_SET,
	PT_COL_CLEAR,
	PT_COL_CHANGED,
	PT_COL_ERROR,
	PT_COL_TITLE,
	PT_COL_OK,
};

struct pt_ui {
	struct pt_lab *lab;
	const char *script;	/* the rest of the queued script */
	bool color;
	bool help;
	bool watch;
	char status[512];
	const char *dot;	/* the header's separator: "·" where UTF-8 works */
};

static volatile sig_atomic_t pt_ui_signal;

static void pt_ui_on_signal(int sig)
{
	pt_ui_signal = sig;
}

static int pt_attr(struct pt_ui *ui, enum pt_ui_color c)
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

/* Did the shown step change bit row @r of @who's level @l? */
static bool pt_changed(const struct pt_lab_step *s, enum pt_who who,
		       enum pt_level l, const char *what)
{
	size_t i;

	for (i = 0; i < s->nr_changes; i++)
		if (s->changes[i].who == who && s->changes[i].level == l &&
		    !strcmp(s->changes[i].what, what))
			return true;
	return false;
}

static void pt_put(struct pt_ui *ui, int y, int x, enum pt_ui_color c,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void pt_put(struct pt_ui *ui, int y, int x, enum pt_ui_color c,
		   const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	attrset(pt_attr(ui, c));
	mvaddnstr(y, x, buf, COLS - x);
	attrset(A_NORMAL);
}

/* The grid of one entry's bits: titles over values, changes marked. */
static int pt_draw_grid(struct pt_ui *ui, int y, int x, int w,
			const struct pt_layout *ly, const struct pt_lab_step *s,
			enum pt_who who, enum pt_level l, uint64_t raw)
{
	struct pt_decoded d;
	int cx = x, bit;
	size_t i;
	char v[24];

	pt_decode(ly, l, raw, &d);
	for (i = 0; i < ly->nr_rows; i++) {
		const struct pt_bit *r = &ly->rows[i];
		int cw;
		bool ch;
		uint64_t val;

		if (!pt_row_applies(r, l, d.state))
			continue;
		val = pt_row_value(r, raw);
		cw = (int)strlen(r->abbr) + 1;
		if (cw < 3)
			cw = 3;
		if (cx + cw > x + w) {
			/* wrap the grid */
			cx = x;
			y += 2;
		}
		ch = pt_changed(s, who, l, r->name);
		pt_put(ui, y, cx, PT_COL_TITLE, "%s", r->abbr);
		snprintf(v, sizeof(v), "%" PRIu64 "%s", val, ch && !ui->color ? "*" : "");
		pt_put(ui, y + 1, cx, ch ? PT_COL_CHANGED : val ? PT_COL_SET : PT_COL_CLEAR,
		       "%s", v);
		cx += cw;
	}
	for (bit = 0; bit < 64; bit++) {
		if (!(d.unknown & (1ull << bit)))
			continue;
		if (cx + 7 > x + w) {
			cx = x;
			y += 2;
		}
		pt_put(ui, y, cx, PT_COL_ERROR, "bit%d?", bit);
		pt_put(ui, y + 1, cx, PT_COL_SET, "1");
		cx += 7;
	}
	return y + 2;
}

/* One process's box; returns the row below it. */
static int pt_draw_proc(struct pt_ui *ui, int y, int x, int w, int h,
			const struct pt_lab_step *s, enum pt_who who)
{
	const struct pt_lab *lab = ui->lab;
	const struct pt_layout *ly = &lab->src->layout;
	const struct pt_lab_proc *p = &s->proc[who == PT_WHO_CHILD];
	unsigned int levels = pt_layout_levels(ly);
	int row = y + 1, l, bottom = y + h - 1;
	char sz[16];

	attrset(pt_attr(ui, PT_COL_NONE));
	mvhline(y, x, ACS_HLINE, w);
	mvhline(bottom, x, ACS_HLINE, w);
	mvvline(y, x, ACS_VLINE, h);
	mvvline(y, x + w - 1, ACS_VLINE, h);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(bottom, x, ACS_LLCORNER);
	mvaddch(bottom, x + w - 1, ACS_LRCORNER);
	if (!p->exists) {
		pt_put(ui, y, x + 2, PT_COL_TITLE, " %s ", who == PT_WHO_CHILD ?
		       "child: none (fork to make one)" : "parent");
		return y + h;
	}
	pt_put(ui, y, x + 2, PT_COL_TITLE, " %s %d ", pt_who_name(who),
	       (int)(p->walked ? p->walk.pid : lab->pid[who == PT_WHO_CHILD]));
	if (!p->walked) {
		pt_put(ui, row, x + 2, PT_COL_ERROR, "%.*s", w - 4, p->err);
		return y + h;
	}
	for (l = 0; l < PT_NR_LEVELS && row < bottom; l++) {
		const struct pt_entry *e = &p->walk.level[l];
		struct pt_decoded d;

		if (!(levels & PT_L(l)) || e->state == PT_STATE_ABSENT)
			continue;
		if (!e->has_raw) {
			pt_put(ui, row++, x + 2, PT_COL_NONE, "%s (derived) %s %s pfn 0x%" PRIx64,
			       pt_level_name(l), pt_state_name(e->state),
			       pt_report_size(1ull << ly->arch->shift(ly, l), sz, sizeof(sz)),
			       p->walk.pm.pfn);
			continue;
		}
		pt_decode(ly, l, e->raw, &d);
		pt_put(ui, row, x + 2, pt_changed(s, who, l, "state") ? PT_COL_CHANGED : PT_COL_NONE,
		       "%s 0x%016" PRIx64 "  %s", pt_level_name(l), e->raw,
		       pt_state_name(d.state));
		if (d.size)
			pt_put(ui, row, x + 2 + 31, PT_COL_NONE, "%s", pt_report_size(d.size, sz, sizeof(sz)));
		if (d.has_pfn && d.state != PT_STATE_TABLE && w > 52)
			pt_put(ui, row, x + 36, pt_changed(s, who, l, "pfn") ? PT_COL_CHANGED : PT_COL_NONE,
			       "pfn 0x%" PRIx64, d.pfn);
		row++;
		if (d.state != PT_STATE_TABLE && d.state != PT_STATE_NONE && row + 2 < bottom)
			row = pt_draw_grid(ui, row + 1, x + 2, w - 4, ly, s, who, l, e->raw);
	}
	if (p->walk.pm.valid && row < bottom)
		pt_put(ui, row++, x + 2, PT_COL_NONE, "pagemap: %s%s%s pfn 0x%" PRIx64,
		       p->walk.pm.present ? "present" : "not present",
		       p->walk.pm.present ? (p->walk.pm.exclusive ? ", exclusive" : ", shared") : "",
		       p->walk.pm.soft_dirty ? ", soft-dirty" : "", p->walk.pm.pfn);
	return y + h;
}

static void pt_draw_header(struct pt_ui *ui, const struct pt_lab_step *s)
{
	const struct pt_lab *lab = ui->lab;
	const char *src = lab->src->name;

	const char *d = ui->dot;

	if (ui->watch)
		pt_put(ui, 0, 0, PT_COL_HEADER,
		       "ptinspect %s pid %d %s %s %s %s source %s%s %s addr 0x%" PRIx64,
		       d, (int)lab->pid[0], d, lab->src->release, lab->src->layout.arch->name,
		       d, src, strcmp(src, "kmod") ? " (derived from /proc)" : " (raw)",
		       d, lab->addr);
	else
		pt_put(ui, 0, 0, PT_COL_HEADER,
		       "ptinspect lab %s %s %s %s %s %s source %s%s %s addr 0x%" PRIx64,
		       d, pt_lab_kind_name(lab->kind), d, lab->src->release,
		       lab->src->layout.arch->name, d, src,
		       strcmp(src, "kmod") ? " (derived)" : " (raw)", d, lab->addr);
	pt_put(ui, 1, 0, PT_COL_TITLE, "step %d/%zu  %s", s->n, lab->nr_steps, s->event);
	pt_put(ui, 1, COLS > 50 ? COLS - 46 : 30, PT_COL_NONE,
	       "n next  b back  : command  ? help  q quit");
}

/* Word-wraps @text over at most @rows lines from column 6. */
static int pt_draw_wrapped(struct pt_ui *ui, int y, int rows, enum pt_ui_color c,
			   const char *text)
{
	size_t w = COLS > 10 ? (size_t)COLS - 7 : 1, len, cut;
	const char *p = text;
	int i;

	for (i = 0; i < rows && *p; i++) {
		len = strlen(p);
		cut = len;
		if (len > w) {
			cut = w;
			while (cut > w / 2 && p[cut] != ' ')
				cut--;
		}
		pt_put(ui, y + i, 6, c, "%.*s", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
	return y + (i ? i : 1);
}

/* What changed, why, and whether the kernel did what its code says. */
static int pt_draw_why(struct pt_ui *ui, int y, const struct pt_lab_step *s)
{
	const struct pt_explain *e = &s->explain;
	char line[1400] = "", one[512];
	size_t i, n = 0;

	if (s->err[0])
		pt_put(ui, y++, 0, PT_COL_ERROR, " event failed: %s", s->err);
	for (i = 0; i < s->nr_changes && n + 2 < sizeof(line); i++) {
		pt_report_lab_change(&s->changes[i], one, sizeof(one));
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? "; " : "", one);
	}
	pt_put(ui, y, 0, PT_COL_TITLE, " what");
	if (!s->nr_changes)
		snprintf(line, sizeof(line), "%s", s->n == 1 ? "the first snapshot" : "nothing changed");
	y = pt_draw_wrapped(ui, y, 2, ui->color ? PT_COL_CHANGED : PT_COL_NONE, line);
	if (e->nr_unexpected) {
		n = 0;
		for (i = 0; i < e->nr_unexpected && n + 2 < sizeof(line); i++) {
			pt_report_unexpected(&e->unexpected[i], one, sizeof(one));
			n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? "; " : "", one);
		}
		pt_put(ui, y++, 0, PT_COL_ERROR,
		       " UNEXPECTED: the kernel did not do what its code says");
		y = pt_draw_wrapped(ui, y, 2, PT_COL_ERROR, line);
	}
	if (ui->lab->owned && !e->modelled) {
		snprintf(line, sizeof(line), "not modelled: %s", e->state);
		y = pt_draw_wrapped(ui, y, 2, PT_COL_NONE, line);
	}
	if (e->text[0]) {
		pt_put(ui, y, 0, PT_COL_TITLE, " why");
		snprintf(line, sizeof(line), "%s [%s]%s", e->text, e->funcs,
			 !e->nr_unexpected && e->checked ?
				 (strcmp(ui->dot, "·") ? "  (as expected)" : "  ✓ expected") : "");
		y = pt_draw_wrapped(ui, y, 3, PT_COL_NONE, line);
	}
	return y;
}

static int pt_draw_timeline(struct pt_ui *ui, int y, int bottom)
{
	const struct pt_lab *lab = ui->lab;
	int rows = bottom - y - 2, first, i, k, x;
	char name[16];

	/* each counter: the parent's delta, then the child's */
	if (rows < 1)
		return y;
	pt_put(ui, y, 0, PT_COL_TITLE, " step  event");
	x = 30;
	for (k = 0; k < (lab->has_pmu ? lab->pmu.nr : 0) && x + 26 < COLS; k++) {
		snprintf(name, sizeof(name), "%.11s", lab->pmu.ev[k].name);
		pt_put(ui, y, x, PT_COL_TITLE, "%13s  %12s", name, "child");
		x += 28;
	}
	first = (int)lab->cur - rows / 2;
	if (first + rows > (int)lab->nr_steps)
		first = (int)lab->nr_steps - rows;
	if (first < 0)
		first = 0;
	for (i = first; i < (int)lab->nr_steps && i < first + rows; i++) {
		const struct pt_lab_step *s = &lab->steps[i];

		pt_put(ui, y + 1 + i - first, 0, (size_t)i == lab->cur ? PT_COL_CHANGED : PT_COL_NONE,
		       "%s%4d  %-21.21s%s", (size_t)i == lab->cur ? ">" : " ", s->n, s->event,
		       s->explain.nr_unexpected ? "!!" : s->err[0] ? " !" : "");
		x = 30;
		for (k = 0; k < (lab->has_pmu ? lab->pmu.nr : 0) && x + 26 < COLS; k++) {
			char a[16] = "-", b[16] = "-";

			if (s->proc[0].exists && s->proc[0].has_count[k])
				snprintf(a, sizeof(a), "%" PRIu64, s->proc[0].count[k]);
			if (s->proc[1].exists && s->proc[1].has_count[k])
				snprintf(b, sizeof(b), "%" PRIu64, s->proc[1].count[k]);
			pt_put(ui, y + 1 + i - first, x, PT_COL_NONE, "%13s  %12s", a, b);
			x += 28;
		}
	}
	if (ui->script && *ui->script)
		pt_put(ui, bottom - 1, 2, PT_COL_NONE, "next (n): %.*s", COLS - 14,
		       ui->script);
	return bottom;
}

static void pt_draw_help(struct pt_ui *ui)
{
	int w = COLS > 76 ? 76 : COLS - 2, h = PT_K_NR + PT_C_NR + 5, y, x, i;

	if (h > LINES - 2)
		h = LINES - 2;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	for (i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	pt_put(ui, y, x + 2, PT_COL_HEADER, "ptinspect keys (any key closes)");
	for (i = 0; i < PT_K_NR && 2 + i < h; i++)
		pt_put(ui, y + 1 + i, x + 2, PT_COL_NONE, "%-10s %s", pt_ui_keys[i].name,
		       pt_ui_keys[i].help);
	pt_put(ui, y + 2 + PT_K_NR, x + 2, PT_COL_HEADER, "commands (after ':')");
	for (i = 0; i < PT_C_NR && 3 + PT_K_NR + i < h; i++)
		pt_put(ui, y + 3 + PT_K_NR + i, x + 2, PT_COL_NONE, "%-8s %-20.20s %.*s",
		       pt_cmd_name(i), pt_cmd_args(i), w - 34, pt_cmd_help(i));
}

static void pt_ui_draw(struct pt_ui *ui)
{
	const struct pt_lab_step *s = pt_lab_shown(ui->lab);
	int boxh, y, w;

	erase();
	if (!s) {
		refresh();
		return;
	}
	pt_draw_header(ui, s);
	w = COLS / 2;
	boxh = LINES - 16;
	if (boxh > 15)
		boxh = 15;
	if (COLS >= 104) {
		if (boxh < 6)
			boxh = 6;
		pt_draw_proc(ui, 2, 0, w, boxh, s, PT_WHO_PARENT);
		y = pt_draw_proc(ui, 2, w, COLS - w, boxh, s, PT_WHO_CHILD);
	} else {
		/* narrow: parent above child */
		boxh = (LINES - 10) / 2;
		if (boxh > 14)
			boxh = 14;
		if (boxh < 5)
			boxh = 5;
		pt_draw_proc(ui, 2, 0, COLS, boxh, s, PT_WHO_PARENT);
		y = pt_draw_proc(ui, 2 + boxh, 0, COLS, boxh, s, PT_WHO_CHILD);
	}
	y = pt_draw_why(ui, y, s);
	pt_draw_timeline(ui, y, LINES - 1);
	if (ui->status[0])
		pt_put(ui, LINES - 1, 0, PT_COL_ERROR, "%s", ui->status);
	if (ui->help)
		pt_draw_help(ui);
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
	if (ui->watch && (pt_cmd_flags(cmd.id) & PT_CMD_EVENT) && cmd.id != PT_C_ADDR &&
	    cmd.id != PT_C_WAIT) {
		snprintf(ui->status, sizeof(ui->status),
			 "%s: events act on the lab's own processes (ptinspect lab)",
			 pt_cmd_name(cmd.id));
		return;
	}
	if (pt_interp_run(lab, &cmd, &did, &err) < 0) {
		snprintf(ui->status, sizeof(ui->status), "%s", err.msg);
		return;
	}
	if (did.flags & PT_DID_QUIT)
		*quit = true;
	if (did.flags & PT_DID_HELP)
		ui->help = true;
	if ((did.flags & PT_DID_SHOW) && did.form != PT_FORM_VIEW) {
		/* the screen shows the step already: dump and json write a
		 * file to attach to a bug report */
		snprintf(path, sizeof(path), "ptinspect-step-%d.%s", pt_lab_shown(lab)->n,
			 did.form == PT_FORM_JSON ? "json" : "txt");
		f = fopen(path, "w");
		if (!f) {
			snprintf(ui->status, sizeof(ui->status), "cannot write %s", path);
			return;
		}
		if (did.form == PT_FORM_JSON)
			pt_report_lab_step_json(f, lab, pt_lab_shown(lab));
		else
			pt_report_lab_step(f, lab, pt_lab_shown(lab));
		fclose(f);
		snprintf(ui->status, sizeof(ui->status), "wrote %s", path);
	}
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
			bool follow = lab->cur + 1 == lab->nr_steps;

			ret = pt_lab_watch(lab, "refresh", false, err);
			if (ret < 0)
				return ret;
			if (!follow && ret > 0)
				lab->cur--;
			continue;
		}
		if (ui->help) {
			ui->help = false;
			continue;
		}
		ui->status[0] = '\0';
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
	if (!newterm(NULL, stdout, stdin))
		return pt_err_set(err, PT_USAGE, "cannot start the terminal UI (TERM=%s)",
				  getenv("TERM") ? getenv("TERM") : "");
	set_escdelay(25);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	pt_ui_colors(ui);
	ret = pt_ui_loop(ui, timeout_ms, err);
	/* the terminal comes back on every way out of the loop */
	endwin();
	pt_prompt_history_save();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}

int pt_ui_lab(struct pt_lab *lab, const char *script, struct pt_err *err)
{
	struct pt_ui ui = { .lab = lab, .script = script };

	return pt_ui_run(&ui, 250, err);
}

int pt_ui_watch(struct pt_lab *lab, double interval, struct pt_err *err)
{
	struct pt_ui ui = { .lab = lab, .watch = true };

	return pt_ui_run(&ui, (int)(interval * 1000), err);
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
			fprintf(f, "  %-10s %-11s %s\n", pt_ui_keys[i].name,
				pt_ui_keys[i].line ? pt_ui_keys[i].line : "", pt_ui_keys[i].help);
	}
	if (man)
		fputs(".El\n", f);
}
