/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the JSON unit tests share: json.c's output caught in a string, and
 * one document with a member of every kind json.c writes (the writer's
 * test checks its bytes, the reader's reads it back).
 */
#ifndef PT_TEST_JSONDOC_H
#define PT_TEST_JSONDOC_H

#include <stdbool.h>
#include <stdio.h>

#include "json.h"

/*
 * What @fn writes with json.c, as a string the caller frees.  Not inlined:
 * gcc's -Wdangling-pointer then takes the memstream's buffer for a local.
 */
static __attribute__((unused, noinline)) char *pt_test_json(void (*fn)(struct pt_json *, void *), void *arg, bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pt_json j;

	assert_non_null(f);
	pt_json_init(&j, f, pretty);
	fn(&j, arg);
	fclose(f);
	return buf;
}

/* An object of every kind of member: numbers, hex, the string @s, an
 * empty array, an object with a bool and a null, a mixed array. */
static inline void pt_test_json_every_kind(struct pt_json *j, const char *s)
{
	pt_json_obj_begin(j, NULL);
	pt_json_u64(j, "n", 18446744073709551615ull);
	pt_json_i64(j, "neg", -3);
	pt_json_hex(j, "raw", 0x84000000078008a5ull);
	pt_json_str(j, "s", s);
	pt_json_arr_begin(j, "empty");
	pt_json_arr_end(j);
	pt_json_obj_begin(j, "o");
	pt_json_bool(j, "t", true);
	pt_json_null(j, "z");
	pt_json_obj_end(j);
	pt_json_arr_begin(j, "a");
	pt_json_u64(j, NULL, 1);
	pt_json_str(j, NULL, "x");
	pt_json_arr_end(j);
	pt_json_obj_end(j);
}

#endif
