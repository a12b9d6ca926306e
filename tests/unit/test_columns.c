// SPDX-License-Identifier: GPL-2.0
/*
 * The util-linux table machinery (columns.c) with a column table of its
 * own: choosing columns, alignment, --noheadings, --raw's escaping,
 * colours that change no text, the streamed form range runs would use,
 * and the sizes the mappings list prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "columns.h"
#include "mapsview.h"
#include "rangedump.h"

struct row {
	const char *name;
	unsigned long n;
};

static enum pt_cell_role c_name(char *b, size_t len, const void *r, const void *ctx)
{
	(void)ctx;
	snprintf(b, len, "%s", ((const struct row *)r)->name);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role c_n(char *b, size_t len, const void *r, const void *ctx)
{
	unsigned long n = ((const struct row *)r)->n;

	(void)ctx;
	snprintf(b, len, "%lu", n);
	return n ? PT_CELL_STRONG : PT_CELL_DIM;
}

static const struct pt_col cols[] = {
	{ .name = "name", .header = "NAME", .help = "a name", .flags = PT_COLF_DEFAULT, .fmt = c_name },
	{ .name = "n", .header = "N", .help = "a count", .flags = PT_COLF_DEFAULT | PT_COLF_RIGHT,
	  .fmt = c_n, .width = 5 },
	{ .name = "extra", .header = "EXTRA", .help = "not by default", .fmt = c_name },
};

static const struct row rows[] = {
	{ "a b\\c\x01", 7 },
	{ "longer-name", 0 },
	{ "é", 12345 },
};

static char *print(struct pt_table *t)
{
	struct pt_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(pt_table_print(f, t, rows, sizeof(rows[0]), 3, NULL, &err), 0);
	fclose(f);
	return buf;
}

static void chooses_columns_as_lsblk_does(void **state)
{
	struct pt_table t;
	struct pt_err err;

	(void)state;
	assert_int_equal(pt_table_init(&t, cols, 3, NULL, &err), 0);
	assert_int_equal(t.nr_sel, 2);
	assert_int_equal(pt_table_init(&t, cols, 3, "EXTRA,name", &err), 0);
	assert_int_equal(t.nr_sel, 2);
	assert_int_equal(t.sel[0], 2);
	assert_int_equal(t.sel[1], 0);
	assert_int_equal(pt_table_init(&t, cols, 3, "+extra", &err), 0);
	assert_int_equal(t.nr_sel, 3);
	assert_int_equal(t.sel[2], 2);
	assert_int_equal(pt_table_init(&t, cols, 3, "name,frob", &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "unknown column 'frob'"));
	assert_int_equal(pt_table_init(&t, cols, 3, "name,", &err), -PT_USAGE);
	assert_int_equal(pt_table_init(&t, cols, 3, "", &err), -PT_USAGE);
	assert_int_equal(pt_table_init(&t, cols, 3, "+", &err), -PT_USAGE);
}

static void aligns_and_drops_the_heading(void **state)
{
	struct pt_table t;
	struct pt_err err;
	char *s;

	(void)state;
	assert_int_equal(pt_table_init(&t, cols, 3, "n,name", &err), 0);
	s = print(&t);
	/* N is right-aligned to its width 5; é is one column wide */
	assert_string_equal(s, "    N NAME\n"
			       "    7 a b\\c\x01\n"
			       "    0 longer-name\n"
			       "12345 é\n");
	free(s);
	t.noheadings = true;
	s = print(&t);
	assert_string_equal(s, "    7 a b\\c\x01\n    0 longer-name\n12345 é\n");
	free(s);
}

static void raw_escapes_and_does_not_align(void **state)
{
	struct pt_table t;
	struct pt_err err;
	char *s;

	(void)state;
	assert_int_equal(pt_table_init(&t, cols, 3, NULL, &err), 0);
	t.raw = true;
	s = print(&t);
	assert_string_equal(s, "NAME N\n"
			       "a\\x20b\\x5cc\\x01 7\n"
			       "longer-name 0\n"
			       "\\xc3\\xa9 12345\n");
	free(s);
}

static void colours_change_no_text(void **state)
{
	struct pt_table t;
	struct pt_err err;
	char *plain, *col, *p, *q;

	(void)state;
	assert_int_equal(pt_table_init(&t, cols, 3, NULL, &err), 0);
	plain = print(&t);
	t.color = true;
	col = print(&t);
	assert_non_null(strstr(col, "\033[1mNAME\033[0m"));
	assert_non_null(strstr(col, "\033[2m0\033[0m"));
	/* strip every SGR sequence: the plain table */
	for (p = q = col; *p;) {
		if (*p == '\033') {
			p = strchr(p, 'm') + 1;
			continue;
		}
		*q++ = *p++;
	}
	*q = '\0';
	assert_string_equal(col, plain);
	free(plain);
	free(col);
}

static void streams_rows_at_the_columns_widths(void **state)
{
	struct pt_table t;
	struct pt_err err;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(pt_table_init(&t, cols, 3, "n,name", &err), 0);
	pt_table_header(f, &t);
	for (i = 0; i < 3; i++)
		pt_table_row(f, &t, &rows[i], NULL);
	fclose(f);
	/* the same as printed whole: the widths come from the table here */
	assert_string_equal(buf, "    N NAME\n    7 a b\\c\x01\n    0 longer-name\n12345 é\n");
	free(buf);
}

static void color_when(void **state)
{
	enum pt_color_when w;
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	assert_int_equal(pt_color_parse("always", &w), 0);
	assert_true(pt_color_use(w, f));
	assert_int_equal(pt_color_parse("never", &w), 0);
	assert_false(pt_color_use(w, f));
	assert_int_equal(pt_color_parse("auto", &w), 0);
	/* not a terminal */
	setenv("TERM", "xterm", 1);
	assert_false(pt_color_use(w, f));
	setenv("NO_COLOR", "1", 1);
	assert_true(pt_color_use(PT_COLOR_ALWAYS, f));
	unsetenv("NO_COLOR");
	assert_int_not_equal(pt_color_parse("sometimes", &w), 0);
	fclose(f);
}

static void sizes_as_lsblk_prints_them(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(pt_mapsview_size(0, b, sizeof(b)), "0");
	assert_string_equal(pt_mapsview_size(1023, b, sizeof(b)), "1023");
	assert_string_equal(pt_mapsview_size(4096, b, sizeof(b)), "4K");
	assert_string_equal(pt_mapsview_size(1536 << 10, b, sizeof(b)), "1.5M");
	assert_string_equal(pt_mapsview_size(2 << 20, b, sizeof(b)), "2M");
	assert_string_equal(pt_mapsview_size(300ull << 20, b, sizeof(b)), "300M");
	assert_string_equal(pt_mapsview_size(1ull << 40, b, sizeof(b)), "1T");
	assert_string_equal(pt_mapsview_size(17ull << 50, b, sizeof(b)), "17P");
}

/* Every view's table: names -o takes, headings, help lines for the man page */
static void view_tables_are_well_formed(void **state)
{
	static const struct {
		const struct pt_col *cols;
		const size_t *nr;
	} views[] = { { pt_maps_cols, &pt_maps_nr_cols },
		      { pt_run_cols, &pt_run_nr_cols },
		      { pt_cmp_cols, &pt_cmp_nr_cols } };
	const struct pt_col *c;
	size_t v, i, k, defaults;
	const char *p;

	(void)state;
	for (v = 0; v < sizeof(views) / sizeof(views[0]); v++) {
		c = views[v].cols;
		defaults = 0;
		assert_true(*views[v].nr > 1 && *views[v].nr <= PT_COLS_MAX);
		for (i = 0; i < *views[v].nr; i++) {
			/* lower case for -o (completion offers them as typed) */
			for (p = c[i].name; *p; p++)
				assert_true((*p >= 'a' && *p <= 'z') || *p == '-' || *p == '%');
			for (p = c[i].header; *p; p++)
				assert_true((*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '%');
			assert_true(c[i].help[0] && c[i].fmt);
			assert_true(c[i].name[0] && c[i].header[0]);
			for (k = 0; k < i; k++)
				assert_true(strcmp(c[k].name, c[i].name));
			defaults += !!(c[i].flags & PT_COLF_DEFAULT);
		}
		assert_true(defaults > 0);
	}
}

/* --kpageflags adds its columns to the runs' default, "+COL" after them */
static void run_columns_with_kpageflags(void **state)
{
	struct pt_table d, k, plus, list;
	struct pt_err err;
	size_t i;

	(void)state;
	assert_int_equal(pt_run_table(&d, NULL, false, &err), 0);
	assert_int_equal(pt_run_table(&k, NULL, true, &err), 0);
	assert_int_equal(k.nr_sel, d.nr_sel + 3);
	for (i = 0; i < d.nr_sel; i++)
		assert_int_equal(k.sel[i], d.sel[i]);
	assert_string_equal(pt_run_cols[k.sel[d.nr_sel]].name, "kpf");
	assert_string_equal(pt_run_cols[k.sel[k.nr_sel - 1]].name, "mapcount");
	assert_int_equal(pt_run_table(&plus, "+BYTES,path", true, &err), 0);
	assert_int_equal(plus.nr_sel, k.nr_sel + 2);
	assert_string_equal(pt_run_cols[plus.sel[k.nr_sel]].name, "bytes");
	assert_string_equal(pt_run_cols[plus.sel[k.nr_sel + 1]].name, "path");
	/* a list is the columns it names, --kpageflags or not */
	assert_int_equal(pt_run_table(&list, "kpf,start", true, &err), 0);
	assert_int_equal(list.nr_sel, 2);
	assert_int_equal(pt_run_table(&list, "+frob", true, &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "unknown column 'frob'"));
	assert_int_equal(pt_run_table(&list, "+", false, &err), -PT_USAGE);
	/* the parent-against-child table is its own */
	assert_int_equal(pt_cmp_table(&list, "class,pages", &err), 0);
	assert_int_equal(pt_cmp_table(&list, "entries", &err), -PT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chooses_columns_as_lsblk_does),
		cmocka_unit_test(aligns_and_drops_the_heading),
		cmocka_unit_test(raw_escapes_and_does_not_align),
		cmocka_unit_test(colours_change_no_text),
		cmocka_unit_test(streams_rows_at_the_columns_widths),
		cmocka_unit_test(color_when),
		cmocka_unit_test(sizes_as_lsblk_prints_them),
		cmocka_unit_test(view_tables_are_well_formed),
		cmocka_unit_test(run_columns_with_kpageflags),
	};

	PT_RUN_TESTS("columns", tests);
}
