// SPDX-License-Identifier: GPL-2.0
/* The lab's expectations as data: the compiled-in rows file validates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "explain.h"
#include "status.h"

static const char head[] =
	"why W a reason\n"
	"set cow anon,file-private\n";

/* validates head + @rows for x86_64; the status, and the message */
static int check(const char *rows, struct pt_err *err)
{
	char text[2048];

	snprintf(text, sizeof(text), "%s%s\n", head, rows);
	memset(err, 0, sizeof(*err));
	return pt_rows_validate(text, "x86_64", err);
}

static void compiled_rows_validate(void **state)
{
	struct pt_err err = { 0 };
	int n = pt_rows_validate(pt_rows_text("x86_64"), "x86_64", &err);

	(void)state;
	if (n < 0)
		fail_msg("%s", err.msg);
	/* every part of the table is there, not a stub */
	assert_true(n >= 250);
	assert_null(pt_rows_text("sparc"));
	/* arm64's, against arm64's bits (rdonly, af, cont: no saved_dirty) */
	n = pt_rows_validate(pt_rows_text("arm64"), "arm64", &err);
	if (n < 0)
		fail_msg("%s", err.msg);
	assert_true(n >= 250);
	assert_true(pt_rows_validate(pt_rows_text("arm64"), "x86_64", &err) < 0);
}

/* the generated C strings are the rows files as they are in the tree */
static void compiled_rows_are_the_rows_file(void **state)
{
	static const char *const arches[] = { "x86_64", "arm64" };
	char *buf = malloc(1 << 20);
	char path[64];
	size_t i, n;
	FILE *f;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		snprintf(path, sizeof(path), "src/rows/%s.rows", arches[i]);
		f = fopen(path, "r");
		assert_non_null(f);
		n = fread(buf, 1, (1 << 20) - 1, f);
		fclose(f);
		buf[n] = '\0';
		assert_string_equal(pt_rows_text(arches[i]), buf);
	}
	free(buf);
}

static void good_rows_pass(void **state)
{
	struct pt_err err;

	(void)state;
	assert_int_equal(check("cow:fork:child:write=0 pre=rw,pte func=f src=s why=W", &err), 1);
	/* the same bit, different values, states that cannot meet */
	assert_int_equal(check("cow:write:parent:write=1 pre=empty func=f src=s why=W\n"
			       "cow:write:parent:write=0 pre=present func=f src=s why=W", &err), 2);
	assert_int_equal(check("cow:write:parent:write=1 pre=hit func=f src=s why=W\n"
			       "cow:write:parent:write=0 pre=!hit func=f src=s why=W", &err), 2);
	/* or kernel ranges that do not meet */
	assert_int_equal(check("anon:fork:parent:dirty=1 until=6.6 func=f src=s why=W\n"
			       "anon:fork:parent:dirty=0 since=6.6 func=f src=s why=W", &err), 2);
	/* or kinds, or events */
	assert_int_equal(check("anon:fork:parent:dirty=1 func=f src=s why=W\n"
			       "thp:fork:parent:dirty=0 func=f src=s why=W\n"
			       "thp:write:parent:dirty=1 func=f src=s why=W", &err), 3);
	assert_int_equal(check("*:any:parent:unchanged=1 pre=failed func=f src=s why=W\n"
			       "anon:mprotect-ro:parent:level=same func=f src=s why=W", &err), 2);
}

static void bad_rows_are_refused(void **state)
{
	struct pt_err err;

	(void)state;
	/* a misspelt bit is not silently 0 */
	assert_int_equal(check("thp:fork:child:wirte=0 func=f src=s why=W", &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "wirte"));
	/* saved_dirty exists from 6.6 only */
	assert_int_equal(check("anon:fork:child:saved_dirty=1 func=f src=s why=W", &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "has no bit 'saved_dirty'"));
	assert_int_equal(check("anon:fork:child:saved_dirty=1 since=6.6 func=f src=s why=W", &err), 1);
	assert_int_equal(check("anon:forkk:child:write=0 func=f src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("anon:fork:child:write=0 pre=shiny func=f src=s why=W", &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "shiny"));
	assert_int_equal(check("anon:fork:nobody:write=0 func=f src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("nokind:fork:child:write=0 func=f src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("anon:fork:child:write=0 func=f src=s why=NOPE", &err), -PT_USAGE);
	assert_int_equal(check("anon:fork:child:write=0 src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("anon:fork:child:write=0 colour=red func=f src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("anon:fork:child:write=zero func=f src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("anon:fork:child:write=0 since=6.12 until=6.6 func=f src=s why=W", &err),
			 -PT_USAGE);
	assert_int_equal(check("anon:fork:child:write=0 pre=rw,!rw func=f src=s why=W", &err), -PT_USAGE);
}

static void contradictions_are_refused(void **state)
{
	struct pt_err err;

	(void)state;
	assert_int_equal(check("cow:fork:child:write=0 pre=rw func=f src=s why=W\n"
			       "anon:fork:child:write=1 pre=pte func=f src=s why=W", &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "contradict"));
	/* "any" meets every event, "madvise" every advice */
	assert_int_equal(check("anon:any:parent:unchanged=1 func=f src=s why=W\n"
			       "anon:pin:parent:unchanged=0 func=f src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("anon:madvise:parent:empty=1 func=f src=s why=W\n"
			       "anon:madvise-dontneed:parent:empty=0 func=f src=s why=W", &err), -PT_USAGE);
	assert_int_equal(check("anon:fork:parent:dirty=1 since=6.1 func=f src=s why=W\n"
			       "anon:fork:parent:dirty=0 until=6.6 func=f src=s why=W", &err), -PT_USAGE);
}

static void expect_option_refuses_unknown_names(void **state)
{
	struct pt_expect *x = NULL;
	struct pt_err err = { 0 };

	(void)state;
	assert_int_equal(pt_explain_add(&x, "thp:fork:child:wirte=0", &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "unknown bit 'wirte'"));
	assert_int_equal(pt_explain_add(&x, "thp:frok:child:write=0", &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "unknown event 'frok'"));
	assert_int_equal(pt_explain_add(&x, "thp:fork:child:write=1 pre=nope", &err), -PT_USAGE);
	/* the table's sets and whys, a precondition and a kernel range */
	assert_int_equal(pt_explain_add(&x, "cow:fork:child:write=1 pre=rw since=6.6 why=COPY_PTE; "
					"thp:mprotect-ro:parent:saved_dirty=1", &err), 0);
	pt_expect_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compiled_rows_validate),
		cmocka_unit_test(compiled_rows_are_the_rows_file),
		cmocka_unit_test(good_rows_pass),
		cmocka_unit_test(bad_rows_are_refused),
		cmocka_unit_test(contradictions_are_refused),
		cmocka_unit_test(expect_option_refuses_unknown_names),
	};

	PT_RUN_TESTS("rows", tests);
}
