/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables as util-linux prints them (lsblk, findmnt): one table of column
 * definitions per view, which feeds -o/--output, `--output help`, the man
 * page's column list and the printer.  The printer aligns (or, with
 * --raw, separates by one space and escapes as lsblk --raw does), prints
 * the headings unless --noheadings, and colours only when asked to.
 *
 * A view gives an array of struct pt_col and a row type of its own; each
 * column formats one cell of one row into a buffer.
 */
#ifndef PT_COLUMNS_H
#define PT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"

#define PT_COLS_MAX 32

/* pt_col.flags */
#define PT_COLF_RIGHT 1u /* numbers: right-aligned */
#define PT_COLF_DEFAULT 2u /* shown without -o */

/* What a cell is, for the colours (never for the text itself). */
enum pt_cell_role { PT_CELL_PLAIN, PT_CELL_DIM, PT_CELL_STRONG };

struct pt_col {
	const char *name; /* for -o, lower case */
	const char *header; /* the heading, upper case */
	const char *help; /* for --output help and the man page */
	unsigned int flags; /* PT_COLF_* */
	/* the least width; what a streamed table (pt_table_row) pads to */
	int width;
	/* one cell of @row (the view's own type) into @buf */
	enum pt_cell_role (*fmt)(char *buf, size_t len, const void *row,
				 const void *ctx);
};

enum pt_color_when { PT_COLOR_AUTO, PT_COLOR_ALWAYS, PT_COLOR_NEVER };

struct pt_table {
	const struct pt_col *cols; /* the view's definitions */
	size_t nr_cols;
	int sel[PT_COLS_MAX]; /* the chosen ones, in order */
	size_t nr_sel;
	bool noheadings, raw, color;
};

/*
 * Chooses the columns: @list NULL: the default ones; "a,b": those;
 * "+a,b": the defaults and those (as lsblk -o +COL).  Names are
 * case-insensitive.  -PT_USAGE for an unknown name.
 */
int pt_table_init(struct pt_table *t, const struct pt_col *cols, size_t nr,
		  const char *list, struct pt_err *err);
/* One "  NAME  help" line per column (--output help), or mdoc (@man). */
void pt_table_help(FILE *f, const struct pt_col *cols, size_t nr, bool man);
/*
 * Prints @nr rows of @size bytes each from @rows: cells formatted by the
 * chosen columns, headings first.  0 or -PT_NO_MEM.
 */
int pt_table_print(FILE *f, const struct pt_table *t, const void *rows,
		   size_t size, size_t nr, const void *ctx, struct pt_err *err);
/*
 * A table too long to hold (range runs: millions of rows) is streamed:
 * each column as wide as its pt_col.width or its heading, a longer cell
 * pushes the rest of its row right.  The heading unless noheadings.
 */
void pt_table_header(FILE *f, const struct pt_table *t);
void pt_table_row(FILE *f, const struct pt_table *t, const void *row,
		  const void *ctx);

/* --color=WHEN; -EINVAL for another word */
int pt_color_parse(const char *s, enum pt_color_when *w);
/* Colours on @f: always, never, or auto (a terminal, NO_COLOR unset or
 * empty, TERM not dumb); the TUI honours NO_COLOR the same way. */
bool pt_color_use(enum pt_color_when w, FILE *f);

#endif
