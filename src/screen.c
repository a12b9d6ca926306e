// SPDX-License-Identifier: GPL-2.0
/*
 * The lab screen (../shared/design/SCREEN.md): what am I looking at (the
 * header), what just happened (the step and the bits it changed), why
 * (the changes, spelled out), how did we get here (the timeline), and a
 * prompt to act.  Parent and child side by side, stacked when narrow.
 *
 * Laid out on a grid of cells, not on a terminal: ui.c paints the grid
 * with curses and the `screen` command prints it, so what a test reads is
 * what the terminal shows.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kpageflags.h"
#include "lang.h"
#include "mapsview.h"
#include "report.h"
#include "report_lab.h"
#include "screen.h"

void pt_utf8_put(char *buf, size_t *n, uint32_t ch)
{
	if (ch < 0x80) {
		buf[(*n)++] = (char)ch;
	} else if (ch < 0x800) {
		buf[(*n)++] = (char)(0xc0 | ch >> 6);
		buf[(*n)++] = (char)(0x80 | (ch & 0x3f));
	} else if (ch < 0x10000) {
		buf[(*n)++] = (char)(0xe0 | ch >> 12);
		buf[(*n)++] = (char)(0x80 | ((ch >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (ch & 0x3f));
	} else {
		buf[(*n)++] = (char)(0xf0 | ch >> 18);
		buf[(*n)++] = (char)(0x80 | ((ch >> 12) & 0x3f));
		buf[(*n)++] = (char)(0x80 | ((ch >> 6) & 0x3f));
		buf[(*n)++] = (char)(0x80 | (ch & 0x3f));
	}
}

/* The next code point of @*p, advancing; a stray byte stands for itself. */
static uint32_t pt_utf8_get(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t ch;
	int more, i;

	if (s[0] < 0x80 || (s[0] & 0xe0) == 0x80) {
		*p += 1;
		return s[0] < 0x80 ? s[0] : '?';
	}
	if ((s[0] & 0xe0) == 0xc0) {
		ch = s[0] & 0x1f;
		more = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		ch = s[0] & 0x0f;
		more = 2;
	} else {
		ch = s[0] & 0x07;
		more = 3;
	}
	for (i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p += i;
			return '?';
		}
		ch = ch << 6 | (s[i] & 0x3f);
	}
	*p += more + 1;
	return ch;
}

static struct pt_cell *pt_cell_at(struct pt_screen *sc, int y, int x)
{
	if (y < 0 || y >= sc->rows || x < 0 || x >= sc->cols)
		return NULL;
	return &sc->cell[y * sc->cols + x];
}

static void pt_set(struct pt_screen *sc, int y, int x, enum pt_ui_color c,
		   uint32_t ch)
{
	struct pt_cell *cell = pt_cell_at(sc, y, x);

	if (cell) {
		cell->ch = ch;
		cell->role = c;
	}
}

static int pt_put(struct pt_screen *sc, int y, int x, enum pt_ui_color c,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Text at row @y from column @x, cut at the right edge; the column after. */
static int pt_put(struct pt_screen *sc, int y, int x, enum pt_ui_color c,
		  const char *fmt, ...)
{
	char buf[512];
	const char *p = buf;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (y < 0 || y >= sc->rows)
		return x;
	while (*p && x < sc->cols)
		pt_set(sc, y, x++, c, pt_utf8_get(&p));
	return x;
}

static void pt_hline(struct pt_screen *sc, int y, int x, uint32_t ch, int n)
{
	while (n-- > 0)
		pt_set(sc, y, x++, PT_COL_NONE, ch);
}

static void pt_vline(struct pt_screen *sc, int y, int x, uint32_t ch, int n)
{
	while (n-- > 0)
		pt_set(sc, y++, x, PT_COL_NONE, ch);
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

/* The same for what /proc says, recorded at the leaf's level. */
static enum pt_ui_color pt_changed_pm(const struct pt_lab_step *s, enum pt_who who,
				      const char *what)
{
	size_t i;

	for (i = 0; i < s->nr_changes; i++)
		if (s->changes[i].who == who && !strcmp(s->changes[i].what, what))
			return PT_COL_CHANGED;
	return PT_COL_NONE;
}

/*
 * A raw entry in hex; stable: the digits that hold a page frame or swap
 * offset are dots, so the flags stay and the placement goes.
 */
static const char *pt_raw_text(const struct pt_screen *sc, enum pt_level l,
			       const struct pt_decoded *d, uint64_t raw,
			       char *buf, size_t len)
{
	const struct pt_layout *ly = &sc->lab->src->layout;
	uint64_t vol;
	int i;

	snprintf(buf, len, "0x%016" PRIx64, raw);
	if (!sc->stable || len < 19)
		return buf;
	vol = d->state == PT_STATE_SWAP || d->state == PT_STATE_MIGRATION ||
			      d->state == PT_STATE_NONE ?
		      ly->arch->swp_mask(ly) :
		      ly->arch->pfn_mask(ly, l, d->state);
	for (i = 0; i < 16; i++)
		if (vol & (0xfull << (4 * (15 - i))))
			buf[2 + i] = '.';
	return buf;
}

static const char *pt_pfn_text(const struct pt_screen *sc, uint64_t pfn,
			       char *buf, size_t len)
{
	/* no frame is the same in every run */
	if (sc->stable && pfn)
		snprintf(buf, len, "0x...");
	else
		snprintf(buf, len, "0x%" PRIx64, pfn);
	return buf;
}

/*
 * A grid column's width: its title, or the widest name of the field's
 * values (NORM, nGnRnE), so a column keeps its place from entry to entry.
 */
static int pt_grid_width(const struct pt_layout *ly, const struct pt_bit *r)
{
	int cw = (int)strlen(r->abbr) + 1;
	size_t i;

	for (i = 0; (r->flags & PT_BIT_FIELD) && i < ly->nr_values; i++)
		if (!strcmp(ly->values[i].field, r->name) &&
		    (int)strlen(ly->values[i].abbr) + 1 > cw)
			cw = (int)strlen(ly->values[i].abbr) + 1;
	return cw < 3 ? 3 : cw;
}

/* The grid of one entry's bits: titles over values, changes marked. */
static int pt_draw_grid(struct pt_screen *sc, int y, int x, int w,
			const struct pt_layout *ly, const struct pt_lab_step *s,
			enum pt_who who, enum pt_level l, uint64_t raw)
{
	struct pt_decoded d;
	int cx = x, bit;
	size_t i;

	pt_decode(ly, l, raw, &d);
	for (i = 0; i < ly->nr_rows; i++) {
		const struct pt_bit *r = &ly->rows[i];
		char txt[24];
		int cw;
		bool ch;

		if (!pt_row_applies(r, l, d.state))
			continue;
		pt_field_text(ly, r, raw, true, txt, sizeof(txt));
		cw = pt_grid_width(ly, r);
		if (cx + cw > x + w) {
			/* wrap the grid */
			cx = x;
			y += 2;
		}
		ch = pt_changed(s, who, l, r->name);
		pt_put(sc, y, cx, PT_COL_TITLE, "%s", r->abbr);
		pt_put(sc, y + 1, cx,
		       ch			? PT_COL_CHANGED :
		       pt_row_shown(ly, r, raw) ? PT_COL_SET :
						  PT_COL_CLEAR,
		       "%s%s", txt, ch && sc->mono ? "*" : "");
		cx += cw;
	}
	for (bit = 0; bit < 64; bit++) {
		if (!(d.unknown & (1ull << bit)))
			continue;
		if (cx + 7 > x + w) {
			cx = x;
			y += 2;
		}
		pt_put(sc, y, cx, PT_COL_ERROR, "bit%d?", bit);
		pt_put(sc, y + 1, cx, PT_COL_SET, "1");
		cx += 7;
	}
	return y + 2;
}

static void pt_draw_box(struct pt_screen *sc, int y, int x, int w, int h)
{
	int bottom = y + h - 1;

	pt_hline(sc, y, x, PT_BOX_H, w);
	pt_hline(sc, bottom, x, PT_BOX_H, w);
	pt_vline(sc, y, x, PT_BOX_V, h);
	pt_vline(sc, y, x + w - 1, PT_BOX_V, h);
	pt_set(sc, y, x, PT_COL_NONE, PT_BOX_UL);
	pt_set(sc, y, x + w - 1, PT_COL_NONE, PT_BOX_UR);
	pt_set(sc, bottom, x, PT_COL_NONE, PT_BOX_LL);
	pt_set(sc, bottom, x + w - 1, PT_COL_NONE, PT_BOX_LR);
}

/*
 * A pane's running text: words placed left to right inside the box,
 * wrapped at its right edge, until its last row.
 */
struct pt_flow {
	struct pt_screen *sc;
	int row, cx;		/* where the next word goes */
	int left, right;	/* the first and one past the last column */
	int bottom;		/* the box's bottom border row */
};

/* A new line; false when the box has no room for it. */
static bool pt_flow_line(struct pt_flow *f)
{
	if (f->cx > f->left)
		f->row++;
	f->cx = f->left;
	return f->row < f->bottom;
}

/* One word, on the next line (indented by @indent) if it does not fit. */
static bool pt_flow_word(struct pt_flow *f, int indent, enum pt_ui_color c,
			 const char *word)
{
	int len = (int)strlen(word);

	if (f->row >= f->bottom)
		return false;
	if (f->cx > f->left && f->cx + len > f->right) {
		f->row++;
		f->cx = f->left + indent;
		if (f->row >= f->bottom)
			return false;
	}
	if (f->cx + len > f->right)
		len = f->right - f->cx;
	f->cx = pt_put(f->sc, f->row, f->cx, c, "%.*s", len < 0 ? 0 : len, word);
	if (f->cx < f->right)
		f->cx++;
	return true;
}

static bool pt_walk_has_raw(const struct pt_walk *w)
{
	int l;

	for (l = 0; l < PT_NR_LEVELS; l++)
		if (w->level[l].has_raw)
			return true;
	return false;
}

/* The mapping the address is in, as maps and smaps give it. */
static void pt_draw_mapping(struct pt_flow *f, const struct pt_walk *w)
{
	const struct pt_vma *v = &w->vma;
	char buf[64], sz[16];
	unsigned int i;

	if (!pt_flow_line(f))
		return;
	if (f->sc->stable)
		snprintf(buf, sizeof(buf), "ADDR-ADDR");
	else
		snprintf(buf, sizeof(buf), "0x%" PRIx64 "-0x%" PRIx64, v->start, v->end);
	pt_flow_word(f, 4, PT_COL_TITLE, "map");
	pt_flow_word(f, 4, PT_COL_NONE, buf);
	pt_flow_word(f, 4, PT_COL_NONE, v->perms);
	pt_flow_word(f, 4, PT_COL_NONE, pt_vma_kind_name(v->kind));
	pt_flow_word(f, 4, PT_COL_NONE, pt_report_size(v->end - v->start, sz, sizeof(sz)));
	/* a lab's file has a new name each run */
	if (v->path[0])
		pt_flow_word(f, 4, PT_COL_NONE, f->sc->stable && v->path[0] == '/' ? "FILE" :
				v->path);
	if (!pt_flow_line(f))
		return;
	pt_flow_word(f, 8, PT_COL_TITLE, "vmflags");
	if (!v->has_flags)
		pt_flow_word(f, 8, PT_COL_ERROR, "(smaps not readable)");
	for (i = 0; i < v->nr_flags; i++)
		pt_flow_word(f, 8, PT_COL_NONE, v->flags[i]);
}

/* What a page of the strip is, seen from @w beside @other (or NULL). */
static char pt_strip_char(const struct pt_walk *w, const struct pt_walk *other,
			  unsigned int i)
{
	uint64_t va = w->strip.first + (uint64_t)i * 4096;
	struct pt_pagemap here, there;

	if (va < w->vma.start || va >= w->vma.end)
		return ' ';
	pt_pagemap_decode_word(w->strip.word[i], &here);
	if (here.swapped)
		return 's';
	if (!here.present)
		return '.';
	if (!other)
		return '#';
	if (va < other->vma.start || va >= other->vma.end || i >= other->strip.nr)
		return '+';
	pt_pagemap_decode_word(other->strip.word[i], &there);
	if (!there.present)
		return '+';
	/* without CAP_SYS_ADMIN both frames read as 0 */
	if (here.pfn_hidden || there.pfn_hidden)
		return '?';
	return here.pfn == there.pfn ? '=' : 'c';
}

/*
 * The pages around the address, one character each, the address's in
 * brackets: beside another process, shared (the same frame in both),
 * copied (a frame of its own) or only here.
 */
static void pt_draw_strip(struct pt_flow *f, const struct pt_walk *w,
			  const struct pt_walk *other)
{
	unsigned int i, centre = (unsigned int)((w->addr - w->strip.first) / 4096);
	char line[PT_STRIP_PAGES + 3];
	bool hidden = false;
	size_t n = 0;

	if (other && (!other->strip.nr || other->strip.first != w->strip.first))
		other = NULL;
	for (i = 0; i < w->strip.nr; i++) {
		char c = pt_strip_char(w, other, i);

		hidden |= c == '?';
		if (i == centre)
			line[n++] = '[';
		line[n++] = c;
		if (i == centre)
			line[n++] = ']';
	}
	line[n] = '\0';
	if (!pt_flow_line(f))
		return;
	pt_flow_word(f, 6, PT_COL_TITLE, "pages");
	pt_flow_word(f, 6, PT_COL_NONE, line);
	if (!pt_flow_line(f))
		return;
	f->cx = f->left + 6;
	pt_flow_word(f, 6, PT_COL_NONE, other ? "= shared  c copied  + only here" :
			"# present  s swapped");
	pt_flow_word(f, 6, PT_COL_NONE, hidden ? "? root only" : ". none");
}

/* The pagemap word, bit by bit, and what kpageflags says of its frame. */
static void pt_draw_word(struct pt_flow *f, const struct pt_walk *w)
{
	const struct pt_pagemap *pm = &w->pm;
	const struct {
		const char *abbr;
		bool on;
	} bits[] = {
		{ "sd", pm->soft_dirty }, { "wp", pm->uffd_wp },
		{ "swap", pm->swapped }, { "file", pm->file_shared },
		{ "guard", pm->guard },
	};
	char buf[32];
	size_t i;
	int b;

	if (!pm->valid || !pt_flow_line(f))
		return;
	snprintf(buf, sizeof(buf), "0x%016" PRIx64, pm->word);
	/* the frame or swap slot differs from run to run, the flags do not */
	if (f->sc->stable && (pm->pfn || pm->swapped))
		memset(buf + 5, '.', 13);
	pt_flow_word(f, 5, PT_COL_TITLE, "word");
	pt_flow_word(f, 5, PT_COL_NONE, buf);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		snprintf(buf, sizeof(buf), "%s %d", bits[i].abbr, bits[i].on);
		pt_flow_word(f, 5, bits[i].on ? PT_COL_SET : PT_COL_CLEAR, buf);
	}
	if (!pm->present || !pt_flow_line(f))
		return;
	pt_flow_word(f, 4, PT_COL_TITLE, "kpf");
	if (pm->pfn_hidden || !pm->has_kpageflags) {
		pt_flow_word(f, 4, PT_COL_ERROR, "(root only)");
	} else if (f->sc->stable) {
		/* LRU and reference bits move with the kernel's batching */
		pt_flow_word(f, 4, PT_COL_NONE, "...");
	} else {
		for (b = 0; b < 64; b++) {
			const char *name = pt_kpf_name_in((unsigned int)b, pm->kpageflags);

			if (!(pm->kpageflags & (1ull << b)))
				continue;
			if (!name) {
				snprintf(buf, sizeof(buf), "kpf%d", b);
				name = buf;
			}
			pt_flow_word(f, 4, PT_COL_NONE, name);
		}
	}
	pt_flow_word(f, 4, PT_COL_TITLE, "mapcount");
	if (pm->pfn_hidden || !pm->has_kpagecount) {
		pt_flow_word(f, 4, PT_COL_ERROR, "(root only)");
	} else {
		snprintf(buf, sizeof(buf), "%" PRIu64, pm->kpagecount);
		pt_flow_word(f, 4, PT_COL_NONE, buf);
	}
}

/* One process's box; returns the row below it. */
static int pt_draw_proc(struct pt_screen *sc, int y, int x, int w, int h,
			const struct pt_lab_step *s, enum pt_who who)
{
	const struct pt_lab *lab = sc->lab;
	const struct pt_layout *ly = &lab->src->layout;
	const struct pt_lab_proc *p = &s->proc[who == PT_WHO_CHILD];
	unsigned int levels = pt_layout_levels(ly);
	int row = y + 1, l, bottom = y + h - 1, cx;
	char sz[16], hex[24], pid[16];

	pt_draw_box(sc, y, x, w, h);
	if (!p->exists) {
		pt_put(sc, y, x + 2, PT_COL_TITLE, " %s ", who == PT_WHO_CHILD ?
		       "child: none (fork to make one)" : "parent");
		return y + h;
	}
	snprintf(pid, sizeof(pid), "%d",
		 (int)(p->walked ? p->walk.pid : lab->pid[who == PT_WHO_CHILD]));
	pt_put(sc, y, x + 2, PT_COL_TITLE, " %s %s ", pt_who_name(who),
	       sc->stable ? "PID" : pid);
	if (!p->walked) {
		pt_put(sc, row, x + 2, PT_COL_ERROR, "%.*s", w - 4, p->err);
		return y + h;
	}
	for (l = 0; l < PT_NR_LEVELS && row < bottom; l++) {
		const struct pt_entry *e = &p->walk.level[l];
		struct pt_decoded d;

		if (!(levels & PT_L(l)) || e->state == PT_STATE_ABSENT)
			continue;
		if (!e->has_raw) {
			/* what /proc tells, its changes marked as a raw entry's are */
			cx = pt_put(sc, row, x + 2, PT_COL_NONE, "%s (derived) ", pt_level_name(l));
			cx = pt_put(sc, row, cx, pt_changed(s, who, l, "state") ? PT_COL_CHANGED :
					PT_COL_NONE, "%s", pt_state_name(e->state));
			cx = pt_put(sc, row, cx, PT_COL_NONE, " %s ",
				    pt_report_size(1ull << ly->arch->shift(ly, l), sz, sizeof(sz)));
			pt_put(sc, row++, cx, pt_changed(s, who, l, "pfn") ? PT_COL_CHANGED :
			       PT_COL_NONE, "pfn %s", p->walk.pm.pfn_hidden ? "(root only)" :
			       pt_pfn_text(sc, p->walk.pm.pfn, hex, sizeof(hex)));
			continue;
		}
		pt_decode(ly, l, e->raw, &d);
		pt_put(sc, row, x + 2, pt_changed(s, who, l, "state") ? PT_COL_CHANGED : PT_COL_NONE,
		       "%s %s  %s", pt_level_name(l), pt_raw_text(sc, l, &d, e->raw, hex, sizeof(hex)),
		       pt_state_name(d.state));
		if (d.size)
			pt_put(sc, row, x + 2 + 31, PT_COL_NONE, "%s", pt_report_size(d.size, sz, sizeof(sz)));
		if (d.has_pfn && d.state != PT_STATE_TABLE && w > 52)
			pt_put(sc, row, x + 36, pt_changed(s, who, l, "pfn") ? PT_COL_CHANGED : PT_COL_NONE,
			       "pfn %s", pt_pfn_text(sc, d.pfn, hex, sizeof(hex)));
		row++;
		if (d.state != PT_STATE_TABLE && d.state != PT_STATE_NONE && row + 2 < bottom)
			row = pt_draw_grid(sc, row + 1, x + 2, w - 4, ly, s, who, l, e->raw);
	}
	if (p->walk.pm.valid && row < bottom) {
		const struct pt_pagemap *pm = &p->walk.pm;

		cx = pt_put(sc, row, x + 2, PT_COL_NONE, "pagemap: ");
		cx = pt_put(sc, row, cx, pt_changed_pm(s, who, "pm_present"), "%s",
			    pm->present ? "present" : "not present");
		if (pm->present)
			cx = pt_put(sc, row, cx, PT_COL_NONE, ", ");
		cx = pt_put(sc, row, cx, pt_changed_pm(s, who, "pm_exclusive"), "%s",
			    pm->present ? (pm->exclusive ? "exclusive" : "shared") : "");
		if (pm->soft_dirty)
			cx = pt_put(sc, row, cx, PT_COL_NONE, ", ");
		cx = pt_put(sc, row, cx, pt_changed_pm(s, who, "pm_soft_dirty"), "%s",
			    pm->soft_dirty ? "soft-dirty" : "");
		pt_put(sc, row++, cx, PT_COL_NONE, " pfn %s", pm->pfn_hidden ? "(root only)" :
		       pt_pfn_text(sc, pm->pfn, hex, sizeof(hex)));
	}
	if (!pt_walk_has_raw(&p->walk) && p->walk.strip.nr) {
		/* /proc has no entry bits: the pane shows what it does know */
		const struct pt_lab_proc *o = &s->proc[who != PT_WHO_CHILD];
		struct pt_flow f = { sc, row, x + 2, x + 2, x + w - 2, bottom };

		pt_draw_mapping(&f, &p->walk);
		pt_draw_strip(&f, &p->walk, o->exists && o->walked ? &o->walk : NULL);
		pt_draw_word(&f, &p->walk);
	}
	return y + h;
}

static void pt_draw_header(struct pt_screen *sc, const struct pt_lab_step *s)
{
	const struct pt_lab *lab = sc->lab;
	const char *src = lab->src->name, *d = sc->dot;
	char rel[sizeof(lab->src->release)], addr[24], pid[16];

	/* stable: the kernel's version without its build, no address */
	snprintf(rel, sizeof(rel), "%s", lab->src->release);
	if (sc->stable) {
		size_t k = strspn(rel, "0123456789");

		if (rel[k] == '.')
			k += 1 + strspn(rel + k + 1, "0123456789");
		rel[k] = '\0';
		snprintf(addr, sizeof(addr), "ADDR");
		snprintf(pid, sizeof(pid), "PID");
	} else {
		snprintf(addr, sizeof(addr), "0x%" PRIx64, lab->addr);
		snprintf(pid, sizeof(pid), "%d", (int)lab->pid[0]);
	}
	if (sc->watch)
		pt_put(sc, 0, 0, PT_COL_HEADER,
		       "ptinspect %s pid %s %s %s %s %s source %s%s %s addr %s",
		       d, pid, d, rel, lab->src->layout.arch->name,
		       d, src, strcmp(src, "kmod") ? " (derived from /proc)" : " (raw)",
		       d, addr);
	else
		pt_put(sc, 0, 0, PT_COL_HEADER,
		       "ptinspect lab %s %s %s %s %s %s source %s%s %s addr %s",
		       d, pt_lab_kind_name(lab->kind), d, rel,
		       lab->src->layout.arch->name, d, src,
		       strcmp(src, "kmod") ? " (derived)" : " (raw)", d, addr);
	pt_put(sc, 1, 0, PT_COL_TITLE, "step %d/%zu  %s", s->n, lab->nr_steps, s->event);
	pt_put(sc, 1, sc->cols > 50 ? sc->cols - 46 : 30, PT_COL_NONE,
	       "n next  b back  : command  ? help  q quit");
}

/* Word-wraps @text over at most @rows lines from column 6. */
static int pt_draw_wrapped(struct pt_screen *sc, int y, int rows, enum pt_ui_color c,
			   const char *text)
{
	size_t w = sc->cols > 10 ? (size_t)sc->cols - 7 : 1, len, cut;
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
		pt_put(sc, y + i, 6, c, "%.*s", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
	return y + (i ? i : 1);
}

/* One change as the what line says it; stable: a frame's move, not where. */
static void pt_change_text(const struct pt_screen *sc, const struct pt_lab_change *c,
			   char *buf, size_t len)
{
	if (sc->stable && !strcmp(c->what, "pfn"))
		snprintf(buf, len, "%s %s pfn %s", pt_who_name(c->who), pt_level_name(c->level),
			 !c->before ? "0x0->0x..." : !c->after ? "0x...->0x0" : "0x...->0x...");
	else
		pt_report_lab_change(&sc->lab->src->layout, c, buf, len);
}

/* What changed, why, and whether the kernel did what its code says. */
static int pt_draw_why(struct pt_screen *sc, int y, const struct pt_lab_step *s)
{
	const struct pt_explain *e = &s->explain;
	char line[1400] = "", one[512];
	size_t i, n = 0;

	if (s->err[0])
		pt_put(sc, y++, 0, PT_COL_ERROR, " event failed: %s", s->err);
	for (i = 0; i < s->nr_changes && n + 2 < sizeof(line); i++) {
		pt_change_text(sc, &s->changes[i], one, sizeof(one));
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? "; " : "", one);
	}
	pt_put(sc, y, 0, PT_COL_TITLE, " what");
	if (!s->nr_changes)
		snprintf(line, sizeof(line), "%s", s->n == 1 ? "the first snapshot" : "nothing changed");
	y = pt_draw_wrapped(sc, y, 2, sc->mono ? PT_COL_NONE : PT_COL_CHANGED, line);
	if (e->nr_unexpected) {
		n = 0;
		for (i = 0; i < e->nr_unexpected && n + 2 < sizeof(line); i++) {
			pt_report_unexpected(&e->unexpected[i], one, sizeof(one));
			n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? "; " : "", one);
		}
		pt_put(sc, y++, 0, PT_COL_ERROR,
		       " UNEXPECTED: the kernel did not do what its code says");
		y = pt_draw_wrapped(sc, y, 2, PT_COL_ERROR, line);
	}
	if (sc->lab->owned && !e->modelled) {
		snprintf(line, sizeof(line), "not modelled%s: %s", e->gap ? " for this version" : "",
			 e->state);
		y = pt_draw_wrapped(sc, y, 2, PT_COL_NONE, line);
	}
	if (e->text[0]) {
		pt_put(sc, y, 0, PT_COL_TITLE, " why");
		snprintf(line, sizeof(line), "%s [%s]%s", e->text, e->funcs,
			 !e->nr_unexpected && e->checked ?
				 (strcmp(sc->dot, "·") ? "  (as expected)" : "  ✓ expected") : "");
		y = pt_draw_wrapped(sc, y, 3, PT_COL_NONE, line);
	}
	return y;
}

/* A counter of the timeline; stable: whether there is one, not its value. */
static void pt_count_text(const struct pt_screen *sc, const struct pt_lab_proc *p, int k,
			  char *buf, size_t len)
{
	if (!p->exists || !p->has_count[k])
		snprintf(buf, len, "-");
	else if (sc->stable)
		snprintf(buf, len, "N");
	else
		snprintf(buf, len, "%" PRIu64, p->count[k]);
}

static int pt_draw_timeline(struct pt_screen *sc, int y, int bottom)
{
	const struct pt_lab *lab = sc->lab;
	int rows = bottom - y - 2, first, i, k, x;
	char name[16];

	/* each counter: the parent's delta, then the child's */
	if (rows < 1)
		return y;
	pt_put(sc, y, 0, PT_COL_TITLE, " step  event");
	x = 30;
	for (k = 0; k < (lab->has_pmu ? lab->pmu.nr : 0) && x + 26 < sc->cols; k++) {
		snprintf(name, sizeof(name), "%.11s", lab->pmu.ev[k].name);
		pt_put(sc, y, x, PT_COL_TITLE, "%13s  %12s", name, "child");
		x += 28;
	}
	first = (int)sc->at->cur - rows / 2;
	if (first + rows > (int)lab->nr_steps)
		first = (int)lab->nr_steps - rows;
	if (first < 0)
		first = 0;
	for (i = first; i < (int)lab->nr_steps && i < first + rows; i++) {
		const struct pt_lab_step *s = &lab->steps[i];

		pt_put(sc, y + 1 + i - first, 0, (size_t)i == sc->at->cur ? PT_COL_CHANGED : PT_COL_NONE,
		       "%s%4d  %-21.21s%s", (size_t)i == sc->at->cur ? ">" : " ", s->n, s->event,
		       s->explain.nr_unexpected ? "!!" : s->err[0] ? " !" : "");
		x = 30;
		for (k = 0; k < (lab->has_pmu ? lab->pmu.nr : 0) && x + 26 < sc->cols; k++) {
			char a[16], b[16];

			pt_count_text(sc, &s->proc[0], k, a, sizeof(a));
			pt_count_text(sc, &s->proc[1], k, b, sizeof(b));
			pt_put(sc, y + 1 + i - first, x, PT_COL_NONE, "%13s  %12s", a, b);
			x += 28;
		}
	}
	if (sc->script && *sc->script)
		pt_put(sc, bottom - 1, 2, PT_COL_NONE, "next (n): %.*s", sc->cols - 14,
		       sc->script);
	return bottom;
}

static void pt_draw_help(struct pt_screen *sc)
{
	int w = sc->cols > 76 ? 76 : sc->cols - 2, nk = sc->nr_keys;
	int h = nk + PT_C_NR + 5, y, x, i;

	if (h > sc->rows - 2)
		h = sc->rows - 2;
	y = (sc->rows - h) / 2;
	x = (sc->cols - w) / 2;
	for (i = 0; i < h; i++)
		pt_hline(sc, y + i, x, ' ', w);
	pt_put(sc, y, x + 2, PT_COL_HEADER, "ptinspect keys (any key closes)");
	for (i = 0; i < nk && 2 + i < h; i++)
		pt_put(sc, y + 1 + i, x + 2, PT_COL_NONE, "%-10s %s", sc->key_names[i],
		       sc->key_helps[i]);
	pt_put(sc, y + 2 + nk, x + 2, PT_COL_HEADER, "commands (after ':')");
	for (i = 0; i < PT_C_NR && 3 + nk + i < h; i++)
		pt_put(sc, y + 3 + nk + i, x + 2, PT_COL_NONE, "%-8s %-20.20s %.*s",
		       pt_cmd_name(i), pt_cmd_args(i), w - 34, pt_cmd_help(i));
}

/* stable: each address the same width of "ADDR" and blanks, columns kept */
static void pt_unaddr(char *line)
{
	char *p = line;
	size_t n;

	while ((p = strstr(p, "0x"))) {
		n = 2 + strspn(p + 2, "0123456789abcdef");
		if (n < 4) {
			p += n;
			continue;
		}
		memset(p, ' ', n);
		memcpy(p, "ADDR", 4);
		p += n;
	}
}

/*
 * The mappings list (the `maps` command) over the steps: a box with the
 * table ptinspect maps prints, its own columns, scrolled so the selected
 * row (highlighted) is seen.
 */
static void pt_draw_maps(struct pt_screen *sc)
{
	const struct pt_vmalist *l = sc->at->maps;
	size_t sel = sc->at->maps_sel;
	int h = sc->rows - 3, w = sc->cols, y = 2, i, nrows, first;
	struct pt_table t;
	struct pt_err err;
	char *text = NULL, *line, *next, cmp[160];
	size_t len = 0;
	FILE *f;

	if (h < 5)
		return;
	for (i = 0; i < h; i++)
		pt_hline(sc, y + i, 0, ' ', w);
	pt_draw_box(sc, y, 0, w, h);
	pt_mapsview_cmp_line(l, cmp, sizeof(cmp));
	/* beside a child: who copied what, for the whole list, and its order */
	if (sc->stable)
		pt_put(sc, y, 2, PT_COL_HEADER, " mappings of pid PID: %zu/%zu%s%s · by %s ",
		       sel + 1, l->nr, cmp[0] ? " · " : "", cmp,
		       pt_vmalist_sort_name(l->sort));
	else
		pt_put(sc, y, 2, PT_COL_HEADER, " mappings of pid %d: %zu/%zu%s%s · by %s ",
		       (int)l->pid, sel + 1, l->nr, cmp[0] ? " · " : "", cmp,
		       pt_vmalist_sort_name(l->sort));
	pt_put(sc, y + h - 1, 2, PT_COL_NONE,
	       " Up/Down select  Enter inspect its start  o sort by copied/start  ] [ populated  Esc close ");
	if (pt_mapsview_table(&t, NULL, l->child, &err) < 0)
		return;
	f = open_memstream(&text, &len);
	if (!f)
		return;
	pt_mapsview_text(f, &t, l, &err);
	fclose(f);
	nrows = h - 3;	/* the box's two lines and the heading */
	first = (int)sel - nrows / 2;
	if (first > (int)l->nr - nrows)
		first = (int)l->nr - nrows;
	if (first < 0)
		first = 0;
	for (i = -1, line = text; line && *line; i++, line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sc->stable)
			pt_unaddr(line);
		if (i < 0) {
			pt_put(sc, y + 1, 2, PT_COL_TITLE, "%.*s", w - 4, line);
			continue;
		}
		if (i < first || i >= first + nrows)
			continue;
		pt_put(sc, y + 2 + i - first, 2,
		       (size_t)i == sel ? PT_COL_CHANGED : PT_COL_NONE, "%.*s", w - 4,
		       line);
	}
	free(text);
}

int pt_screen_draw(struct pt_screen *sc, int rows, int cols, struct pt_err *err)
{
	const struct pt_lab *lab = sc->lab;
	const struct pt_lab_step *s = sc->at->cur < lab->nr_steps ? &lab->steps[sc->at->cur] : NULL;
	int boxh, y, w, i;

	if (rows < 1 || cols < 1)
		return pt_err_set(err, PT_USAGE, "a screen of %dx%d has no room", cols, rows);
	if (rows != sc->rows || cols != sc->cols || !sc->cell) {
		struct pt_cell *c = calloc((size_t)rows * (size_t)cols, sizeof(*c));

		if (!c)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		free(sc->cell);
		sc->cell = c;
		sc->rows = rows;
		sc->cols = cols;
	}
	for (i = 0; i < rows * cols; i++)
		sc->cell[i] = (struct pt_cell){ ' ', PT_COL_NONE };
	if (!sc->dot)
		sc->dot = "·";
	if (!s)
		return 0;
	pt_draw_header(sc, s);
	w = cols / 2;
	boxh = rows - 16;
	if (boxh > 15)
		boxh = 15;
	if (cols >= 104) {
		if (boxh < 6)
			boxh = 6;
		pt_draw_proc(sc, 2, 0, w, boxh, s, PT_WHO_PARENT);
		y = pt_draw_proc(sc, 2, w, cols - w, boxh, s, PT_WHO_CHILD);
	} else {
		/* narrow: parent above child */
		boxh = (rows - 10) / 2;
		if (boxh > 14)
			boxh = 14;
		if (boxh < 5)
			boxh = 5;
		pt_draw_proc(sc, 2, 0, cols, boxh, s, PT_WHO_PARENT);
		y = pt_draw_proc(sc, 2 + boxh, 0, cols, boxh, s, PT_WHO_CHILD);
	}
	y = pt_draw_why(sc, y, s);
	pt_draw_timeline(sc, y, rows - 1);
	if (sc->at->maps)
		pt_draw_maps(sc);
	if (sc->status && sc->status[0])
		pt_put(sc, rows - 1, 0, PT_COL_ERROR, "%s", sc->status);
	if (sc->help)
		pt_draw_help(sc);
	return 0;
}

void pt_screen_free(struct pt_screen *sc)
{
	free(sc->cell);
	sc->cell = NULL;
	sc->rows = sc->cols = 0;
}

void pt_screen_print(FILE *f, const struct pt_screen *sc)
{
	char *line = malloc((size_t)sc->cols * 4 + 2);
	int y, x, end, marks;
	size_t n;

	if (!line)
		return;
	for (y = 0; y < sc->rows; y++) {
		const struct pt_cell *row = &sc->cell[y * sc->cols];

		for (end = sc->cols; end > 0 && row[end - 1].ch == ' '; end--)
			;
		for (n = 0, x = 0; x < end; x++)
			pt_utf8_put(line, &n, row[x].ch);
		line[n] = '\0';
		fprintf(f, "%s\n", line);
		for (marks = sc->cols; marks > 0 && row[marks - 1].role != PT_COL_CHANGED; marks--)
			;
		if (!marks)
			continue;
		for (x = 0; x < marks; x++)
			line[x] = row[x].role == PT_COL_CHANGED ? '^' : ' ';
		line[marks] = '\0';
		fprintf(f, "%s\n", line);
	}
	free(line);
}

int pt_screen_write(FILE *f, const struct pt_lab *lab, const struct pt_cursor *at,
		    const struct pt_cmd *cmd, struct pt_err *err)
{
	/* as in a UTF-8 terminal without colours: nothing queued, no help */
	struct pt_screen sc = { .lab = lab, .at = at, .dot = "·", .mono = true,
				.stable = cmd->stable, .watch = !lab->owned };
	int cols = cmd->cols ? cmd->cols : 110, rows = cmd->rows ? cmd->rows : 42, ret;

	ret = pt_screen_draw(&sc, rows, cols, err);
	if (ret == 0)
		pt_screen_print(f, &sc);
	pt_screen_free(&sc);
	return ret;
}
