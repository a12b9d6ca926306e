// SPDX-License-Identifier: GPL-2.0
/* The lab's expectations as data: the compiled-in rows file validates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "explain.h"
#include "layout.h"
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

/* read @path whole into @buf (of 1 MiB), after @prefix */
static size_t read_after(char *buf, size_t n, const char *path)
{
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	n += (size_t)sprintf(buf + n, "@file %s\n", path);
	n += fread(buf + n, 1, (1 << 20) - 1 - n, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

/*
 * the generated C strings are the rows files as they are in the tree:
 * common.rows, then the architecture's, each after an "@file" line
 */
static void compiled_rows_are_the_rows_file(void **state)
{
	static const char *const arches[] = { "x86_64", "arm64" };
	char *buf = malloc(1 << 20);
	char path[64];
	size_t i, n;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		n = read_after(buf, 0, "src/rows/common.rows");
		snprintf(path, sizeof(path), "src/rows/%s.rows", arches[i]);
		read_after(buf, n, path);
		assert_string_equal(pt_rows_text(arches[i]), buf);
	}
	free(buf);
}

/*
 * Files read as one table: a row of the first may name a why of the
 * second, and a message names the file and its line (the build's check).
 */
static void rows_files_read_as_one_table(void **state)
{
	struct pt_err err = { 0 };

	(void)state;
	assert_int_equal(pt_rows_validate("@file a.rows\n"
					  "cow:fork:child:write=0 pre=rw func=f src=s why=W\n"
					  "@file b.rows\n"
					  "# the why of a.rows's row\n"
					  "why W a reason\n"
					  "set cow anon\n", "x86_64", &err), 1);
	assert_true(pt_rows_validate("@file a.rows\n"
				     "why W a reason\n"
				     "@file b.rows\n"
				     "\n"
				     "anon:fork:child:wirte=0 func=f src=s why=W\n", "x86_64", &err) < 0);
	assert_non_null(strstr(err.msg, "b.rows:2: unknown bit 'wirte'"));
	assert_true(pt_rows_validate("@file a.rows\n"
				     "why W a reason\n"
				     "@file b.rows\n"
				     "why W another\n", "x86_64", &err) < 0);
	assert_non_null(strstr(err.msg, "'W' is defined twice"));
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
	/* a bound's commit: 12 hex digits, and only with a bound */
	assert_int_equal(check("thp:write:parent:level=pmd since=6.13 commit=1ced09e0331f func=f src=s why=W",
			       &err), 1);
	assert_int_equal(check("thp:write:parent:level=pmd since=6.13 commit=1ced09e0 func=f src=s why=W",
			       &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "bad commit '1ced09e0'"));
	assert_int_equal(check("thp:write:parent:level=pmd commit=1ced09e0331f func=f src=s why=W", &err),
			 -PT_USAGE);
	assert_non_null(strstr(err.msg, "a commit without since or until"));
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

/* which row a kernel gets, and the line it cites, version by version */
static int for_kernel(const char *row, const char *kv, char *cite, size_t len)
{
	char text[1024];
	struct pt_err err = { 0 };

	snprintf(text, sizeof(text), "%s%s\n", head, row);
	return pt_rows_for_kernel(text, "x86_64", pt_kver_parse(kv), cite, len, &err);
}

static void rows_are_bound_to_versions(void **state)
{
	static const char new_row[] =
		"thp:write:parent:level=pmd pre=zero,huge since=6.13 func=do_huge_zero_wp_pmd "
		"src=mm/huge_memory.c(6.18:1881)(7.1:2127) why=W";
	static const char old_row[] =
		"thp:write:parent:level=pte pre=zero,huge until=6.13 func=wp_page_copy "
		"src=mm/memory.c:3332(6.1:3100) why=W";
	static const char any_row[] =
		"anon:fork:parent:write=0 func=copy_present_ptes "
		"src=mm/memory.c:958(6.1:984)(6.18:1010)(7.1:mm/memory.c:1111) why=W";
	static const struct {
		const char *kv;
		int new_rc, old_rc;
		const char *new_cite, *old_cite, *any_cite, *words;
	} t[] = {
		{ "6.0", 0, 1, "", "wp_page_copy mm/memory.c:3100 at 6.1", "copy_present_ptes mm/memory.c:984 at 6.1",
		  "rows from 6.1; this kernel is older" },
		{ "6.1.192", 0, 1, "", "wp_page_copy mm/memory.c:3100 at 6.1", "copy_present_ptes mm/memory.c:984 at 6.1",
		  "the rows for 6.1" },
		{ "6.8", 0, 1, "", "wp_page_copy mm/memory.c:3100 at 6.1", "copy_present_ptes mm/memory.c:984 at 6.1",
		  "the rows for 6.1 and 6.12 that hold for both (6.8 is between them)" },
		{ "6.12.118", 0, 1, "", "wp_page_copy mm/memory.c:3332 at 6.12", "copy_present_ptes mm/memory.c:958 at 6.12",
		  "the rows for 6.12" },
		/* the behaviour changed in 6.13, read at 6.12 and 6.18 only */
		{ "6.13", 2, 0, "", "", "copy_present_ptes mm/memory.c:958 at 6.12",
		  "the rows for 6.12 and 6.18 that hold for both (6.13 is between them)" },
		{ "6.15", 2, 0, "", "", "copy_present_ptes mm/memory.c:958 at 6.12",
		  "the rows for 6.12 and 6.18 that hold for both (6.15 is between them)" },
		{ "6.18.44", 1, 0, "do_huge_zero_wp_pmd mm/huge_memory.c:1881 at 6.18", "", "copy_present_ptes mm/memory.c:1010 at 6.18",
		  "the rows for 6.18" },
		{ "7.0", 1, 0, "do_huge_zero_wp_pmd mm/huge_memory.c:1881 at 6.18", "", "copy_present_ptes mm/memory.c:1010 at 6.18",
		  "the rows for 6.18 and 7.1 that hold for both (7.0 is between them)" },
		{ "7.1.5", 1, 0, "do_huge_zero_wp_pmd mm/huge_memory.c:2127 at 7.1", "", "copy_present_ptes mm/memory.c:1111 at 7.1",
		  "the rows for 7.1" },
		{ "7.2", 1, 0, "do_huge_zero_wp_pmd mm/huge_memory.c:2127 at 7.1", "", "copy_present_ptes mm/memory.c:1111 at 7.1",
		  "rows from 7.1; this kernel is newer" },
	};
	char cite[128], words[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(for_kernel(new_row, t[i].kv, cite, sizeof(cite)), t[i].new_rc);
		assert_string_equal(cite, t[i].new_cite);
		assert_int_equal(for_kernel(old_row, t[i].kv, cite, sizeof(cite)), t[i].old_rc);
		assert_string_equal(cite, t[i].old_cite);
		assert_int_equal(for_kernel(any_row, t[i].kv, cite, sizeof(cite)), 1);
		assert_string_equal(cite, t[i].any_cite);
		pt_explain_rows_for(pt_kver_parse(t[i].kv), words, sizeof(words));
		assert_string_equal(words, t[i].words);
	}
	/* a function renamed: its name at the version cited */
	assert_int_equal(for_kernel("pfnmap:write:parent:level=pmd func=insert_pfn_pmd(6.18:insert_pmd) "
				    "src=mm/huge_memory.c:1389(6.18:1404)(7.1:1603) why=W",
				    "6.12", cite, sizeof(cite)), 1);
	assert_string_equal(cite, "insert_pfn_pmd mm/huge_memory.c:1389 at 6.12");
	assert_int_equal(for_kernel("pfnmap:write:parent:level=pmd func=insert_pfn_pmd(6.18:insert_pmd) "
				    "src=mm/huge_memory.c:1389(6.18:1404)(7.1:1603) why=W",
				    "7.2", cite, sizeof(cite)), 1);
	assert_string_equal(cite, "insert_pmd mm/huge_memory.c:1603 at 7.1");
	/* a function named otherwise at 6.1: that name up to 6.1, 6.12's after */
	{
		static const char *const kv[] = { "6.0", "6.1.192", "6.8", "6.12.118", "6.18.2", "7.2" };
		static const char *const want[] = {
			"pte_mkwrite arch/x86/include/asm/pgtable.h:360 at 6.1",
			"pte_mkwrite arch/x86/include/asm/pgtable.h:360 at 6.1",
			"pte_mkwrite arch/x86/include/asm/pgtable.h:360 at 6.1",
			"pte_mkwrite_novma arch/x86/include/asm/pgtable.h:420 at 6.12",
			"pte_mkwrite_novma arch/x86/include/asm/pgtable.h:420 at 6.12",
			"pte_mkwrite_novma arch/x86/include/asm/pgtable.h:440 at 7.1",
		};

		for (i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
			assert_int_equal(for_kernel("anon:write:parent:write=1 func=pte_mkwrite_novma(6.1:pte_mkwrite) "
						    "src=arch/x86/include/asm/pgtable.h:420(6.1:360)(7.1:440) why=W",
						    kv[i], cite, sizeof(cite)), 1);
			assert_string_equal(cite, want[i]);
		}
		/* no 6.1 line: 6.12's is cited, and so is 6.12's name */
		assert_int_equal(for_kernel("anon:write:parent:write=1 func=pte_mkwrite_novma(6.1:pte_mkwrite) "
					    "src=arch/x86/include/asm/pgtable.h:420 why=W",
					    "6.1.192", cite, sizeof(cite)), 1);
		assert_string_equal(cite, "pte_mkwrite_novma arch/x86/include/asm/pgtable.h:420 at 6.12");
		/* 6.12's base with a group of 6.12 itself: the base up to 6.1 */
		assert_int_equal(for_kernel("anon:fork:parent:write=0 func=copy_present_pte(6.12:copy_present_ptes) "
					    "src=mm/memory.c:958(6.1:984) why=W",
					    "6.1.192", cite, sizeof(cite)), 1);
		assert_string_equal(cite, "copy_present_pte mm/memory.c:984 at 6.1");
	}
	/* a citation of a version that is not modelled is refused */
	assert_int_equal(for_kernel("anon:fork:parent:write=0 func=f src=mm/memory.c:1(6.15:2) why=W",
				    "6.18", cite, sizeof(cite)), 1);
	{
		struct pt_err err;

		assert_int_equal(check("anon:fork:parent:write=0 func=f src=mm/memory.c:1(6.15:2) why=W",
				       &err), -PT_USAGE);
		assert_non_null(strstr(err.msg, "src=mm/memory.c:1(6.15:2)"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compiled_rows_validate),
		cmocka_unit_test(compiled_rows_are_the_rows_file),
		cmocka_unit_test(rows_files_read_as_one_table),
		cmocka_unit_test(good_rows_pass),
		cmocka_unit_test(bad_rows_are_refused),
		cmocka_unit_test(contradictions_are_refused),
		cmocka_unit_test(expect_option_refuses_unknown_names),
		cmocka_unit_test(rows_are_bound_to_versions),
	};

	PT_RUN_TESTS("rows", tests);
}
