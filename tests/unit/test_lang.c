// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's command language: every row of PT_CMD_TABLE parses its
 * arguments into their typed fields once, refuses a bad line with one
 * line, and completion offers exactly what the row's arguments take.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "lab.h"
#include "lang.h"
#include "subject.h"
#include "vmalist.h"

static struct pt_cmd parse_ok(const char *line)
{
	struct pt_err err = { 0 };
	struct pt_cmd c;
	int ret = pt_cmd_parse(line, &c, &err);

	if (ret)
		fail_msg("'%s' refused: %s", line, err.msg);
	return c;
}

/* refused with PT_USAGE and one line naming @want */
static void parse_bad(const char *line, const char *want)
{
	struct pt_err err = { 0 };
	struct pt_cmd c;

	if (pt_cmd_parse(line, &c, &err) != -PT_USAGE)
		fail_msg("'%s' accepted", line);
	assert_null(strchr(err.msg, '\n'));
	if (!strstr(err.msg, want))
		fail_msg("'%s': '%s' has no '%s'", line, err.msg, want);
}

static void events_take_who_and_offset(void **state)
{
	struct pt_cmd c;

	(void)state;
	c = parse_ok("write parent");
	assert_int_equal(c.id, PT_C_WRITE);
	assert_int_equal(c.who, PT_WHO_PARENT);
	assert_int_equal(c.off, 0);
	c = parse_ok("read c +0x1000");
	assert_int_equal(c.id, PT_C_READ);
	assert_int_equal(c.who, PT_WHO_CHILD);
	assert_int_equal(c.off, 0x1000);
	c = parse_ok("write child 4096");
	assert_int_equal(c.off, 4096);
	c = parse_ok("exit child");
	assert_int_equal(c.who, PT_WHO_CHILD);
	c = parse_ok("fork");
	assert_int_equal(c.id, PT_C_FORK);
	c = parse_ok("mremap");
	assert_int_equal(c.id, PT_C_MREMAP);
	assert_int_equal(c.who, PT_WHO_DEFAULT);
	c = parse_ok("mremap child");
	assert_int_equal(c.id, PT_C_MREMAP);
	assert_int_equal(c.who, PT_WHO_CHILD);
	c = parse_ok("mremap p");
	assert_int_equal(c.who, PT_WHO_PARENT);
	parse_bad("mremap sideways", "usage: mremap [parent|child]");
	parse_bad("mremap child 4096", "usage: mremap [parent|child]");
	parse_bad("mremap parent child", "usage: mremap [parent|child]");
	c = parse_ok("clear-soft-dirty");
	assert_int_equal(c.who, PT_WHO_DEFAULT);
	c = parse_ok("pin child");
	assert_int_equal(c.who, PT_WHO_CHILD);
	c = parse_ok("unpin p");
	assert_int_equal(c.who, PT_WHO_PARENT);
	c = parse_ok("guard");
	assert_int_equal(c.id, PT_C_GUARD);
	c = parse_ok("unguard child");
	assert_int_equal(c.id, PT_C_UNGUARD);
	c = parse_ok("wait 250");
	assert_int_equal(c.ms, 250);
	parse_bad("write", "usage: write parent|child [OFFSET]");
	parse_bad("write nobody", "usage: write");
	parse_bad("write parent -1", "usage: write");
	parse_bad("write parent 1 2", "usage: write");
	parse_bad("exit parent", "usage: exit child");
	parse_bad("fork now", "usage: fork");
	parse_bad("pin parent child", "usage: pin");
	parse_bad("wait 600001", "usage: wait MS");
	parse_bad("wait", "usage: wait MS");
}

/* every advice of the table, no other word */
static void madvise_takes_every_advice_of_the_table(void **state)
{
	char line[64];
	struct pt_cmd c;
	int i;

	(void)state;
	assert_int_equal(PT_LAB_NR_ADVICES, 6);
	for (i = 0; i < PT_LAB_NR_ADVICES; i++) {
		snprintf(line, sizeof(line), "madvise %s child", pt_lab_advice_name(i));
		c = parse_ok(line);
		assert_int_equal(c.id, PT_C_MADVISE);
		assert_int_equal(c.advice, i);
		assert_int_equal(c.who, PT_WHO_CHILD);
		assert_non_null(strstr(pt_cmd_args(PT_C_MADVISE), pt_lab_advice_name(i)));
	}
	assert_int_equal(parse_ok("madvise nohugepage").advice, PT_ADV_NOHUGEPAGE);
	parse_bad("madvise", "usage: madvise dontneed|collapse|pageout|hugepage|nohugepage|mergeable");
	parse_bad("madvise free", "usage: madvise");
	parse_bad("madvise dontneed nobody", "usage: madvise");
	assert_int_equal(parse_ok("mprotect ro").prot, PT_PROT_RO);
	assert_int_equal(parse_ok("mprotect rw child").prot, PT_PROT_RW);
	parse_bad("mprotect rx", "usage: mprotect ro|rw [parent|child]");
}

static void addr_kind_and_views_are_typed(void **state)
{
	struct pt_cmd c;

	(void)state;
	c = parse_ok("addr +0x2000");
	assert_true(c.rel);
	assert_int_equal(c.base_off, 0x2000);
	c = parse_ok("addr libc.so.6+4096");
	assert_false(c.rel);
	assert_string_equal(c.addr, "libc.so.6+4096");
	parse_bad("addr +zz", "usage: addr ADDR|+OFFSET");
	parse_bad("addr", "usage: addr");
	c = parse_ok("kind hugetlb-shared");
	assert_int_equal(c.kind, PT_LAB_HUGETLB_SHARED);
	parse_bad("kind nosuch", "unknown kind 'nosuch'");
	assert_int_equal(parse_ok("next-populated").id, PT_C_NEXT_POPULATED);
	assert_int_equal(parse_ok("prev-populated").id, PT_C_PREV_POPULATED);

	c = parse_ok("maps");
	assert_int_equal(c.n, 0);
	assert_false(c.close);
	assert_int_equal(c.sort, -1);
	assert_int_equal(parse_ok("maps 3").n, 3);
	assert_true(parse_ok("maps close").close);
	assert_int_equal(parse_ok("maps sort copied").sort, PT_VL_SORT_COPIED);
	parse_bad("maps 3 sort size", "usage: maps [N|close|sort KEY]");
	parse_bad("maps sort", "usage: maps");
	parse_bad("maps sort nosuch", "usage: maps");
	parse_bad("maps 0", "usage: maps");

	assert_true(parse_ok("step last").last);
	assert_int_equal(parse_ok("step 7").n, 7);
	c = parse_ok("step");
	assert_false(c.last);
	assert_int_equal(c.n, 0);
	parse_bad("step 0", "usage: step [N|last]");
	parse_bad("step 2 last", "usage: step");

	assert_true(parse_ok("child next").next);
	assert_int_equal(parse_ok("child 1234").n, 1234);
	parse_bad("child", "usage: child PID|next");

	c = parse_ok("screen");
	assert_int_equal(c.cols, 0);
	assert_false(c.stable);
	c = parse_ok("screen 80x24 stable");
	assert_int_equal(c.cols, 80);
	assert_int_equal(c.rows, 24);
	assert_true(c.stable);
	c = parse_ok("screen stable 200x50");
	assert_int_equal(c.cols, 200);
	assert_true(c.stable);
	/* what a recording keeps: the argument as typed, not a word tried */
	assert_string_equal(parse_ok("screen stable").arg, "");
	assert_string_equal(parse_ok("maps sort size").arg, "size");
	assert_string_equal(parse_ok("madvise hugepage child").arg, "hugepage");
	parse_bad("screen 10x10", "usage: screen [COLSxROWS] [stable]");
	parse_bad("screen stable stable", "usage: screen");

	assert_int_equal(parse_ok("dump").id, PT_C_DUMP);
	assert_int_equal(parse_ok("json").id, PT_C_JSON);
	assert_int_equal(parse_ok("back").id, PT_C_BACK);
	assert_int_equal(parse_ok("help").id, PT_C_HELP);
	assert_int_equal(parse_ok("  quit  ").id, PT_C_QUIT);
	parse_bad("quit now", "usage: quit");
	parse_bad("frobnicate", "unknown command 'frobnicate'");
	parse_bad("   ", "empty command");
}

/* every row of the table parses, with the arguments its help shows */
static void every_row_parses_its_own_help(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < PT_C_NR; i++) {
		struct pt_err err = { 0 };
		struct pt_cmd c;
		const char *args = pt_cmd_args(i);

		if (pt_cmd_parse(pt_cmd_name(i), &c, &err) == 0) {
			/* no argument needed: help shows none, or only optional ones */
			assert_true(!args[0] || args[0] == '[');
			assert_int_equal(c.id, i);
		} else {
			assert_true(args[0] && args[0] != '[');
			assert_non_null(strstr(err.msg, args));
		}
	}
}

/* the words completion offers, as one space-separated string */
static char *words(const char *line)
{
	const char *const *w = pt_cmd_words(line);
	static char buf[1024];
	size_t n = 0;

	buf[0] = '\0';
	for (; *w; w++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? " " : "", *w);
	return buf;
}

static void completion_offers_exactly_the_tables_values(void **state)
{
	char want[1024];
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < PT_C_NR; i++)
		n += snprintf(want + n, sizeof(want) - n, "%s%s", i ? " " : "", pt_cmd_name(i));
	assert_string_equal(words(""), want);
	assert_string_equal(words("w"), want);
	assert_string_equal(words("madvise "), "dontneed collapse pageout hugepage nohugepage mergeable");
	assert_string_equal(words("madvise dontneed "), "parent child");
	assert_string_equal(words("madvise free "), "");
	assert_string_equal(words("mprotect "), "ro rw");
	assert_string_equal(words("write "), "parent child");
	assert_string_equal(words("write parent "), "");
	assert_string_equal(words("write parent 12 "), "");
	assert_string_equal(words("exit "), "child");
	assert_string_equal(words("guard "), "parent child");
	assert_string_equal(words("fork "), "");
	assert_string_equal(words("step "), "last");
	assert_string_equal(words("step 3 "), "");
	assert_string_equal(words("child "), "next");
	assert_string_equal(words("maps "), "close sort");
	n = 0;
	for (i = 0; i < PT_VL_SORT_NR; i++)
		n += snprintf(want + n, sizeof(want) - n, "%s%s", i ? " " : "",
			      pt_vmalist_sort_name(i));
	assert_string_equal(words("maps sort "), want);
	assert_string_equal(words("maps 3 "), "");
	assert_string_equal(words("screen "), "stable");
	assert_string_equal(words("screen stable "), "");
	n = 0;
	for (i = 0; i < PT_LAB_NR_KINDS; i++)
		n += snprintf(want + n, sizeof(want) - n, "%s%s", i ? " " : "",
			      pt_lab_kind_name(i));
	assert_string_equal(words("kind "), want);
	assert_string_equal(words("nosuch "), "");
}

/* a recording keeps the argument as typed and wait's number: both come back typed */
static void a_recorded_command_comes_back_typed(void **state)
{
	struct pt_err err = { 0 };
	struct pt_cmd c = parse_ok("madvise pageout child"), r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.id = c.id;
	r.who = c.who;
	snprintf(r.arg, sizeof(r.arg), "%s", c.arg);
	assert_int_equal(pt_cmd_retype(&r, pt_cmd_num(&c), &err), 0);
	assert_int_equal(r.advice, PT_ADV_PAGEOUT);
	assert_int_equal(r.who, PT_WHO_CHILD);
	c = parse_ok("wait 30");
	memset(&r, 0, sizeof(r));
	r.id = c.id;
	assert_int_equal(pt_cmd_retype(&r, pt_cmd_num(&c), &err), 0);
	assert_int_equal(r.ms, 30);
	memset(&r, 0, sizeof(r));
	r.id = PT_C_ADDR;
	snprintf(r.arg, sizeof(r.arg), "+0x3000");
	assert_int_equal(pt_cmd_retype(&r, -1, &err), 0);
	assert_true(r.rel);
	assert_int_equal(r.base_off, 0x3000);
	memset(&r, 0, sizeof(r));
	r.id = PT_C_MADVISE;
	snprintf(r.arg, sizeof(r.arg), "nosuch");
	assert_int_equal(pt_cmd_retype(&r, -1, &err), -PT_USAGE);
}

/*
 * The line each event sends the subject, from its row's template: byte
 * for byte the lines pt_lab_do() wrote by hand before the rows had them
 * (and that recordings, tests and subjects of older builds know).
 */
static void events_send_the_lines_of_their_rows(void **state)
{
	static const struct {
		const char *cmd, *line;
	} want[] = {
		{ "write parent", "write 7f0000002345" },
		{ "write child +4096", "c write 7f0000003345" },
		{ "read p 0x10", "read 7f0000002355" },
		{ "read child", "c read 7f0000002345" },
		{ "fork", "fork" },
		{ "exit child", "c exit" },
		{ "madvise dontneed", "madvise dontneed 7f0000000000 10000" },
		{ "madvise collapse parent", "madvise collapse 7f0000000000 10000" },
		{ "madvise pageout child", "c madvise pageout 7f0000000000 10000" },
		{ "madvise hugepage", "madvise hugepage 7f0000000000 10000" },
		{ "madvise nohugepage", "madvise nohugepage 7f0000000000 10000" },
		{ "madvise mergeable c", "c madvise mergeable 7f0000000000 10000" },
		{ "mprotect ro", "mprotect ro" },
		{ "mprotect rw child", "c mprotect rw" },
		{ "pin", "pin 7f0000002345" },
		{ "pin child", "c pin 7f0000002345" },
		{ "unpin", "unpin" },
		{ "unpin child", "c unpin" },
		{ "guard", "madvise guard-install 7f0000002000 1000" },
		{ "guard child", "c madvise guard-install 7f0000002000 1000" },
		{ "unguard parent", "madvise guard-remove 7f0000002000 1000" },
		{ "unguard c", "c madvise guard-remove 7f0000002000 1000" },
		{ "mremap", "mremap 7f0000000000 10000" },
		{ "mremap parent", "mremap 7f0000000000 10000" },
		{ "mremap child", "c mremap 7f0000000000 10000" },
		/* ptinspect acts itself, or sends nothing */
		{ "clear-soft-dirty", "" },
		{ "clear-soft-dirty child", "" },
		{ "wait 5", "" },
		{ "addr +0x1000", "" },
		{ "kind thp", "" },
		{ "next-populated", "" },
	};
	struct pt_lab lab = { .base = 0x7f0000000000, .size = 0x10000,
			      .addr = 0x7f0000002345 };
	char line[160];
	struct pt_cmd c;
	size_t i;
	int id;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		c = parse_ok(want[i].cmd);
		assert_int_equal(pt_lab_line(&lab, &c, line, sizeof(line)), 0);
		if (strcmp(line, want[i].line))
			fail_msg("'%s' sends '%s', not '%s'", want[i].cmd, line, want[i].line);
	}
	/* every row's template has only words the lab knows */
	for (id = 0; id < PT_C_NR; id++) {
		memset(&c, 0, sizeof(c));
		c.id = id;
		c.who = PT_WHO_CHILD;
		assert_int_equal(pt_lab_line(&lab, &c, line, sizeof(line)), 0);
		if (!pt_cmd_line(id) != !line[0])
			fail_msg("%s: '%s'", pt_cmd_name(id), line);
		if (pt_cmd_line(id) && !(pt_cmd_flags(id) & PT_CMD_EVENT))
			fail_msg("%s sends a line but is no event", pt_cmd_name(id));
	}
	/* a short buffer is said, not cut */
	c = parse_ok("madvise dontneed child");
	assert_int_equal(pt_lab_line(&lab, &c, line, 12), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(events_take_who_and_offset),
		cmocka_unit_test(madvise_takes_every_advice_of_the_table),
		cmocka_unit_test(addr_kind_and_views_are_typed),
		cmocka_unit_test(every_row_parses_its_own_help),
		cmocka_unit_test(completion_offers_exactly_the_tables_values),
		cmocka_unit_test(a_recorded_command_comes_back_typed),
		cmocka_unit_test(events_send_the_lines_of_their_rows),
	};

	PT_RUN_TESTS("lang", tests);
}
