// SPDX-License-Identifier: GPL-2.0
/* Tables as util-linux prints them: see columns.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "columns.h"
#include "escape.h"

#define PT_CELL_MAX 512

static int pt_col_find(const struct pt_col *cols, size_t nr, const char *name,
		       size_t len)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (strlen(cols[i].name) == len &&
		    !strncasecmp(cols[i].name, name, len))
			return (int)i;
	return -1;
}

int pt_table_init(struct pt_table *t, const struct pt_col *cols, size_t nr,
		  const char *list, struct pt_err *err)
{
	const char *p = list;
	size_t i, len;
	int c;

	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->nr_cols = nr;
	if (!list || *list == '+') {
		for (i = 0; i < nr && t->nr_sel < PT_COLS_MAX; i++)
			if (cols[i].flags & PT_COLF_DEFAULT)
				t->sel[t->nr_sel++] = (int)i;
		if (!list)
			return 0;
		p++;
	}
	if (!*p)
		return pt_err_set(
			err, PT_USAGE,
			"no column named in '%s' (--output help lists them)",
			list);
	while (*p) {
		len = strcspn(p, ",");
		c = pt_col_find(cols, nr, p, len);
		if (c < 0)
			return pt_err_set(
				err, PT_USAGE,
				"unknown column '%.*s' (--output help lists them)",
				(int)len, p);
		if (t->nr_sel == PT_COLS_MAX)
			return pt_err_set(err, PT_USAGE, "at most %d columns",
					  PT_COLS_MAX);
		t->sel[t->nr_sel++] = c;
		p += len;
		if (*p == ',' && !*++p)
			return pt_err_set(err, PT_USAGE,
					  "a column list ends with ','");
	}
	return 0;
}

void pt_table_help(FILE *f, const struct pt_col *cols, size_t nr, bool man)
{
	size_t i;

	if (man)
		fputs(".Bl -tag -width \"populated\" -compact\n", f);
	for (i = 0; i < nr; i++) {
		if (man)
			fprintf(f, ".It Cm %s\n%s%s.\n", cols[i].name,
				cols[i].help,
				cols[i].flags & PT_COLF_DEFAULT ? " (default)" :
								  "");
		else
			fprintf(f, "  %-10s %s%s\n", cols[i].name, cols[i].help,
				cols[i].flags & PT_COLF_DEFAULT ? " (default)" :
								  "");
	}
	if (man)
		fputs(".El\n", f);
}

/* The display width of UTF-8 text: code points, each one column here. */
static size_t pt_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static const char *const pt_role_sgr[] = {
	[PT_CELL_PLAIN] = NULL,
	[PT_CELL_DIM] = "\033[2m",
	[PT_CELL_STRONG] = "\033[1m",
};

static void pt_table_cell(FILE *f, const struct pt_table *t,
			  const struct pt_col *c, const char *text,
			  enum pt_cell_role role, size_t width, bool last)
{
	char esc[PT_CELL_MAX * 4 + 1];
	size_t pad = 0, w;

	if (t->raw) {
		pt_escape(esc, sizeof(esc), text, PT_ESC_RAW);
		text = esc;
	} else {
		w = pt_width(text);
		pad = width > w ? width - w : 0;
	}
	if ((c->flags & PT_COLF_RIGHT) && pad)
		fprintf(f, "%*s", (int)pad, "");
	if (t->color && pt_role_sgr[role])
		fprintf(f, "%s%s\033[0m", pt_role_sgr[role], text);
	else
		fputs(text, f);
	if (!(c->flags & PT_COLF_RIGHT) && pad && !last)
		fprintf(f, "%*s", (int)pad, "");
}

static size_t pt_stream_width(const struct pt_col *c)
{
	size_t h = strlen(c->header);

	return c->width > 0 && (size_t)c->width > h ? (size_t)c->width : h;
}

void pt_table_header(FILE *f, const struct pt_table *t)
{
	const struct pt_col *c;
	size_t i;

	if (t->noheadings)
		return;
	for (i = 0; i < t->nr_sel; i++) {
		c = &t->cols[t->sel[i]];
		if (i)
			fputc(' ', f);
		pt_table_cell(f, t, c, c->header, PT_CELL_STRONG,
			      pt_stream_width(c), i + 1 == t->nr_sel);
	}
	fputc('\n', f);
}

void pt_table_row(FILE *f, const struct pt_table *t, const void *row,
		  const void *ctx)
{
	char cell[PT_CELL_MAX];
	enum pt_cell_role role;
	const struct pt_col *c;
	size_t i;

	for (i = 0; i < t->nr_sel; i++) {
		c = &t->cols[t->sel[i]];
		role = c->fmt(cell, sizeof(cell), row, ctx);
		if (i)
			fputc(' ', f);
		pt_table_cell(f, t, c, cell, role, pt_stream_width(c),
			      i + 1 == t->nr_sel);
	}
	fputc('\n', f);
}

int pt_table_print(FILE *f, const struct pt_table *t, const void *rows,
		   size_t size, size_t nr, const void *ctx, struct pt_err *err)
{
	size_t width[PT_COLS_MAX] = { 0 };
	char(*cell)[PT_CELL_MAX];
	unsigned char *role;
	size_t r, i, k;
	const struct pt_col *c;

	/* every cell first: the widths come from the longest */
	cell = calloc(nr * t->nr_sel + 1, sizeof(*cell));
	role = calloc(nr * t->nr_sel + 1, 1);
	if (!cell || !role) {
		free(cell);
		free(role);
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	for (i = 0; i < t->nr_sel; i++)
		width[i] = t->noheadings ? 0 :
					   strlen(t->cols[t->sel[i]].header);
	for (r = 0; r < nr; r++) {
		for (i = 0; i < t->nr_sel; i++) {
			k = r * t->nr_sel + i;
			c = &t->cols[t->sel[i]];
			role[k] = (unsigned char)c->fmt(
				cell[k], PT_CELL_MAX,
				(const char *)rows + r * size, ctx);
			if (pt_width(cell[k]) > width[i])
				width[i] = pt_width(cell[k]);
		}
	}
	if (!t->noheadings) {
		for (i = 0; i < t->nr_sel; i++) {
			c = &t->cols[t->sel[i]];
			if (i)
				fputc(' ', f);
			pt_table_cell(f, t, c, c->header, PT_CELL_STRONG,
				      width[i], i + 1 == t->nr_sel);
		}
		fputc('\n', f);
	}
	for (r = 0; r < nr; r++) {
		for (i = 0; i < t->nr_sel; i++) {
			k = r * t->nr_sel + i;
			if (i)
				fputc(' ', f);
			pt_table_cell(f, t, &t->cols[t->sel[i]], cell[k],
				      role[k], width[i], i + 1 == t->nr_sel);
		}
		fputc('\n', f);
	}
	free(cell);
	free(role);
	return 0;
}

int pt_color_parse(const char *s, enum pt_color_when *w)
{
	if (!strcmp(s, "auto"))
		*w = PT_COLOR_AUTO;
	else if (!strcmp(s, "always"))
		*w = PT_COLOR_ALWAYS;
	else if (!strcmp(s, "never"))
		*w = PT_COLOR_NEVER;
	else
		return -EINVAL;
	return 0;
}

bool pt_color_use(enum pt_color_when w, FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (w != PT_COLOR_AUTO)
		return w == PT_COLOR_ALWAYS;
	/* https://no-color.org: set and not empty, whatever its value */
	if (nc && *nc)
		return false;
	if (!term || !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}
