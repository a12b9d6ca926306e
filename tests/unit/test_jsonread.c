// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON reader (jsonread.c): what json.c writes reads back, strings
 * with their escapes, the hostile-input limits, and a malformed line
 * refused with one reason at one column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "json.h"
#include "jsonread.h"
#include "jsondoc.h"

static void every_kind(struct pt_json *j, void *arg)
{
	(void)arg;
	pt_test_json_every_kind(j, "a\"b\\c/d\te é");
}

/* @text (no newline) parsed: 0 or -1, with the reason and column */
static int parse(const char *text, struct pt_jv *v, struct pt_jr_err *e)
{
	return pt_jv_parse_object(text, text + strlen(text), v, e);
}

static void reader_reads_back_what_the_writer_wrote(void **state)
{
	char *line = pt_test_json(every_kind, NULL, false);
	struct pt_rd rd = { .why = "" };
	const struct pt_jv *o, *a;
	struct pt_jr_err e;
	struct pt_jv v;
	char s[32];

	(void)state;
	assert_int_equal(parse(line, &v, &e), 0);
	assert_int_equal(v.t, PT_J_OBJ);
	assert_true(pt_jv_has(&v, "version"));
	assert_true(pt_rd_u64(&rd, &v, "n") == 18446744073709551615ull);
	assert_int_equal(pt_rd_i64(&rd, &v, "neg", -10, 10), -3);
	assert_true(pt_rd_u64(&rd, &v, "raw") == 0x84000000078008a5ull);
	pt_rd_str(&rd, &v, "s", s, sizeof(s));
	assert_string_equal(s, "a\"b\\c/d\te é");
	a = pt_rd_arr(&rd, &v, "empty", 4);
	assert_non_null(a);
	assert_int_equal(a->nr, 0);
	o = pt_rd_get(&rd, &v, "o", PT_J_OBJ, false);
	assert_true(pt_rd_bool(&rd, o, "t"));
	assert_null(pt_rd_get(&rd, o, "z", PT_J_STR, true));
	a = pt_rd_arr(&rd, &v, "a", 2);
	assert_int_equal(a->nr, 2);
	assert_int_equal(a->kids[0].t, PT_J_NUM);
	assert_string_equal(a->kids[1].str, "x");
	assert_string_equal(rd.why, "");
	pt_jv_free(&v);
	free(line);
}

static void escapes_decode_and_control_characters_are_refused(void **state)
{
	struct pt_rd rd = { .why = "" };
	struct pt_jr_err e;
	struct pt_jv v;
	char s[32];

	(void)state;
	assert_int_equal(parse("{\"s\":\"\\\"\\\\\\/\\t\\u0041\"}", &v, &e), 0);
	pt_rd_str(&rd, &v, "s", s, sizeof(s));
	assert_string_equal(s, "\"\\/\tA");
	pt_jv_free(&v);
	/* a replay prints its strings: nothing may drive the terminal */
	assert_int_equal(parse("{\"s\":\"a\\nb\"}", &v, &e), -1);
	assert_string_equal(e.why, "a control character or a byte that is not UTF-8 in a string");
	pt_jv_free(&v);
	assert_int_equal(parse("{\"s\":\"\\u001b[2J\"}", &v, &e), -1);
	assert_string_equal(e.why, "a control character or a byte that is not UTF-8 in a string");
	pt_jv_free(&v);
	assert_int_equal(parse("{\"s\":\"\xff\"}", &v, &e), -1);
	assert_string_equal(e.why, "a control character or a byte that is not UTF-8 in a string");
	pt_jv_free(&v);
	/* json.c escapes control characters only: \u beyond ASCII is not its */
	assert_int_equal(parse("{\"s\":\"\\u00e9\"}", &v, &e), -1);
	assert_string_equal(e.why, "bad string");
	pt_jv_free(&v);
	assert_int_equal(parse("{\"s\":\"\\q\"}", &v, &e), -1);
	assert_string_equal(e.why, "bad string");
	pt_jv_free(&v);
}

static const struct {
	const char *line, *why;
	size_t col;
} pt_malformed[] = {
	{ "", "unexpected end of line", 1 },
	{ "{\"a\":1", "expected ',' or '}'", 7 },
	{ "[1]", "not an object", 4 },
	{ "{\"a\":1} x", "text after the object", 9 },
	{ "{\"a\":tru}", "unknown word", 6 },
	{ "{a:1}", "expected a key", 2 },
	{ "{\"a\" 1}", "expected ':'", 6 },
	{ "{\"a\":[1 2]}", "expected ',' or ']'", 9 },
	{ "{\"a\":99999999999999999999}", "number too large", 26 },
	{ "{\"a\":-}", "unexpected character", 7 },
	{ "{\"a\":\"x", "bad string", 8 },
	{ "{\"a\":\"\\u12\"}", "bad \\u escape", 11 },
};

static void malformed_lines_are_refused_with_one_reason_and_column(void **state)
{
	struct pt_jr_err e;
	struct pt_jv v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pt_malformed) / sizeof(pt_malformed[0]); i++) {
		print_message("# %s\n", pt_malformed[i].line);
		assert_int_equal(parse(pt_malformed[i].line, &v, &e), -1);
		assert_string_equal(e.why, pt_malformed[i].why);
		assert_int_equal(e.col, pt_malformed[i].col);
		pt_jv_free(&v);
	}
}

/* "[0,0,...]" of @n members, or @n arrays nested, in an object */
static char *members(size_t n)
{
	char *s = malloc(n * 2 + 16), *p = s;
	size_t i;

	p += sprintf(p, "{\"a\":[");
	for (i = 0; i < n; i++)
		p += sprintf(p, i ? ",0" : "0");
	sprintf(p, "]}");
	return s;
}

static char *nested(size_t depth)
{
	char *s = malloc(depth * 2 + 16), *p = s;
	size_t i;

	p += sprintf(p, "{\"a\":");
	for (i = 1; i < depth; i++)
		*p++ = '[';
	for (i = 1; i < depth; i++)
		*p++ = ']';
	sprintf(p, "}");
	return s;
}

static void limits_refuse_members_depth_and_length(void **state)
{
	struct pt_jr_err e;
	struct pt_jv v;
	char *s;

	(void)state;
	s = members(PT_JR_MAX_MEMBERS);
	assert_int_equal(parse(s, &v, &e), 0);
	assert_int_equal(v.kids[0].nr, PT_JR_MAX_MEMBERS);
	pt_jv_free(&v);
	free(s);
	s = members(PT_JR_MAX_MEMBERS + 1);
	assert_int_equal(parse(s, &v, &e), -1);
	assert_string_equal(e.why, "more than 1024 members");
	pt_jv_free(&v);
	free(s);

	s = nested(PT_JR_MAX_DEPTH);
	assert_int_equal(parse(s, &v, &e), 0);
	pt_jv_free(&v);
	free(s);
	s = nested(PT_JR_MAX_DEPTH + 1);
	assert_int_equal(parse(s, &v, &e), -1);
	assert_string_equal(e.why, "nested too deep");
	pt_jv_free(&v);
	free(s);

	s = malloc(PT_JR_MAX_LINE + 2);
	memset(s, ' ', PT_JR_MAX_LINE + 1);
	memcpy(s, "{}", 2);
	s[PT_JR_MAX_LINE + 1] = '\0';
	assert_int_equal(parse(s, &v, &e), -1);
	assert_string_equal(e.why, "longer than 1048576 bytes");
	pt_jv_free(&v);
	s[PT_JR_MAX_LINE] = '\0';
	assert_int_equal(parse(s, &v, &e), 0);
	pt_jv_free(&v);
	free(s);
}

static void getters_name_the_first_bad_member(void **state)
{
	struct pt_rd rd = { .why = "" };
	struct pt_jr_err e;
	struct pt_jv v;

	(void)state;
	assert_int_equal(parse("{\"n\":-1,\"h\":\"0x\",\"b\":1,\"big\":5,\"a\":[1,2,3],"
			       "\"x\":\"0x10\"}", &v, &e), 0);
	assert_true(pt_rd_u64(&rd, &v, "x") == 0x10);
	assert_string_equal(rd.why, "");
	pt_rd_u64(&rd, &v, "n");
	assert_string_equal(rd.why, "negative \"n\"");
	rd.why[0] = '\0';
	pt_rd_u64(&rd, &v, "h");
	assert_string_equal(rd.why, "bad number in \"h\"");
	rd.why[0] = '\0';
	pt_rd_bool(&rd, &v, "b");
	assert_string_equal(rd.why, "missing or mistyped \"b\"");
	rd.why[0] = '\0';
	pt_rd_i64(&rd, &v, "big", 0, 4);
	assert_string_equal(rd.why, "\"big\" out of range");
	rd.why[0] = '\0';
	pt_rd_arr(&rd, &v, "a", 2);
	assert_string_equal(rd.why, "too many \"a\"");
	rd.why[0] = '\0';
	pt_rd_u64(&rd, &v, "none");
	assert_string_equal(rd.why, "missing or mistyped \"none\"");
	/* the first refusal stays */
	pt_rd_bool(&rd, &v, "b");
	assert_string_equal(rd.why, "missing or mistyped \"none\"");
	pt_jv_free(&v);
}

static const char *pt_kind_name(int i)
{
	static const char *const names[] = { "anon", "thp" };

	return names[i];
}

static void an_enum_is_read_as_its_index(void **state)
{
	struct pt_rd rd = { .why = "" };
	struct pt_jr_err e;
	struct pt_jv v;

	(void)state;
	assert_int_equal(parse("{\"y\":\"thp\",\"k\":\"file\"}", &v, &e), 0);
	assert_int_equal(pt_rd_name(&rd, &v, "y", pt_kind_name, 2), 1);
	assert_string_equal(rd.why, "");
	pt_rd_name(&rd, &v, "k", pt_kind_name, 2);
	assert_string_equal(rd.why, "unknown \"k\" 'file'");
	pt_jv_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_reads_back_what_the_writer_wrote),
		cmocka_unit_test(escapes_decode_and_control_characters_are_refused),
		cmocka_unit_test(malformed_lines_are_refused_with_one_reason_and_column),
		cmocka_unit_test(limits_refuse_members_depth_and_length),
		cmocka_unit_test(getters_name_the_first_bad_member),
		cmocka_unit_test(an_enum_is_read_as_its_index),
	};

	PT_RUN_TESTS("jsonread", tests);
}
