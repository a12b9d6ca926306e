// SPDX-License-Identifier: GPL-2.0
/* The JSON writer, and the dump object built from a raw walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "json.h"
#include "jsondoc.h"
#include "report.h"
#include "version.h"

static void nested(struct pt_json *j, void *arg)
{
	(void)arg;
	pt_test_json_every_kind(j, "a\"b\\c\n\x01\x7f é");
	pt_json_end(j);
}

static void writer_compact_output_is_exact(void **state)
{
	char *s = pt_test_json(nested, NULL, false);

	(void)state;
	assert_string_equal(s,
		"{\"version\":\"" PT_VERSION "\",\"n\":18446744073709551615,\"neg\":-3,\"raw\":\"0x84000000078008a5\","
		"\"s\":\"a\\\"b\\\\c\\n\\u0001\\u007f é\",\"empty\":[],"
		"\"o\":{\"t\":true,\"z\":null},\"a\":[1,\"x\"]}\n");
	free(s);
}

static void writer_pretty_output_is_exact(void **state)
{
	char *s = pt_test_json(nested, NULL, true);

	(void)state;
	assert_string_equal(s,
		"{\n  \"version\": \"" PT_VERSION "\",\n  \"n\": 18446744073709551615,\n  \"neg\": -3,\n"
		"  \"raw\": \"0x84000000078008a5\",\n"
		"  \"s\": \"a\\\"b\\\\c\\n\\u0001\\u007f é\",\n  \"empty\": [],\n"
		"  \"o\": {\n    \"t\": true,\n    \"z\": null\n  },\n"
		"  \"a\": [\n    1,\n    \"x\"\n  ]\n}\n");
	free(s);
}

static void deep(struct pt_json *j, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < PT_JSON_MAX_DEPTH + 2; i++)
		pt_json_arr_begin(j, NULL);
	assert_true(j->overflow);
	for (i = 0; i < PT_JSON_MAX_DEPTH + 2; i++)
		pt_json_arr_end(j);
}

static void writer_survives_too_deep_nesting(void **state)
{
	char *s = pt_test_json(deep, NULL, false);

	(void)state;
	assert_non_null(s);
	free(s);
}

static void raw_walk(struct pt_json *j, void *arg)
{
	static struct pt_layout ly;
	struct pt_walk *w = arg;

	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	pt_report_json(j, NULL, &ly, w);
	pt_json_end(j);
}

static void dump_object_carries_raw_levels_and_bits(void **state)
{
	struct pt_walk *w = calloc(1, sizeof(*w));
	char *s;
	int l;

	(void)state;
	w->pid = 137;
	w->addr = 0x7f084c400000ull;
	w->source = "kmod";
	strcpy(w->release, "6.12.117+deb12-cloud-amd64");
	strcpy(w->vma.perms, "rw-p");
	w->vma.path = "";
	w->vma.start = 0x7f084c400000ull;
	w->vma.end = 0x7f084c600000ull;
	for (l = 0; l < PT_NR_LEVELS; l++)
		w->level[l].state = PT_STATE_ABSENT;
	/* the pgd as ptdump_helper reads it under PTI: the user copy */
	w->level[PT_PGD] = (struct pt_entry){ .state = PT_STATE_TABLE, .has_raw = true,
					      .raw = 0x5436067, .user_copy = true };
	w->level[PT_PUD] = (struct pt_entry){ .state = PT_STATE_TABLE, .has_raw = true,
					      .raw = 0x53a0067 };
	w->level[PT_PMD] = (struct pt_entry){ .state = PT_STATE_LEAF, .has_raw = true,
					      .raw = 0x84000000078008a5ull,
					      .va = 0x7f084c400000ull };
	s = pt_test_json(raw_walk, w, false);
	assert_non_null(strstr(s, "\"ptinspect\":1,\"kernel\":\"6.12.117+deb12-cloud-amd64\",\"arch\":\"x86_64\",\"source\":\"kmod\",\"pid\":137,\"addr\":\"0x7f084c400000\""));
	assert_non_null(strstr(s, "{\"level\":\"pmd\",\"va\":\"0x7f084c400000\",\"state\":\"leaf\",\"derived\":false,\"raw\":\"0x84000000078008a5\",\"pfn\":\"0x7800\",\"size\":2097152,\"bits\":{\"present\":true,\"write\":false,"));
	assert_non_null(strstr(s, "\"saved_dirty\":true"));
	assert_non_null(strstr(s, "{\"level\":\"pgd\",\"va\":\"0x0\",\"state\":\"table\",\"derived\":false,\"raw\":\"0x5436067\",\"copy\":\"user\","));
	/* only the top level has two copies */
	assert_null(strstr(s, "\"raw\":\"0x53a0067\",\"copy\""));
	assert_non_null(strstr(s, "\"helpers\":{\"present\":true,\"write\":false,\"dirty\":true,\"young\":true,\"huge\":true"));
	assert_non_null(strstr(s, "\"pagemap\":null"));
	assert_null(strstr(s, "p4d"));
	free(s);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writer_compact_output_is_exact),
		cmocka_unit_test(writer_pretty_output_is_exact),
		cmocka_unit_test(writer_survives_too_deep_nesting),
		cmocka_unit_test(dump_object_carries_raw_levels_and_bits),
	};

	PT_RUN_TESTS("json", tests);
}
