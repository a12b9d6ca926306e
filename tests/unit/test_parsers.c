// SPDX-License-Identifier: GPL-2.0
/* Every parser, fed good, odd and hostile text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "addr.h"
#include "options.h"
#include "procfs.h"
#include "source.h"

static const char maps_text[] =
	"5595aae87000-5595aaeb6000 r--p 00000000 fe:00 1234  /usr/bin/bash\n"
	"5595aaeb6000-5595aaf8f000 r-xp 0002f000 fe:00 1234  /usr/bin/bash\n"
	"5595ac000000-5595ac021000 rw-p 00000000 00:00 0                          [heap]\n"
	"7f0000000000-7f0000200000 rw-s 00000000 00:01 77   /dev/zero (deleted)\n"
	"7f0000200000-7f0000201000 r--p 00000000 fe:00 99   /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
	"7f0000300000-7f0000301000 rw-s 00000000 00:05 100  /memfd:lab (deleted)\n"
	"7f0000400000-7f0000401000 rw-p 00000000 fe:00 101  /tmp/a file with spaces\n"
	"7ffd6e5be000-7ffd6e5df000 rw-p 00000000 00:00 0                          [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

static struct pt_maps load_maps(void)
{
	struct pt_maps m;
	FILE *f = fmemopen((void *)maps_text, sizeof(maps_text) - 1, "r");

	assert_non_null(f);
	assert_int_equal(pt_maps_parse(f, &m), 0);
	fclose(f);
	return m;
}

static void maps_lines_parse_with_odd_paths(void **state)
{
	struct pt_intern pool = { 0 };
	struct pt_vma *v = malloc(sizeof(*v));
	const char *path;

	(void)state;
	assert_int_equal(pt_maps_parse_line("7f0000400000-7f0000401000 rw-p 00001000 fe:00 101  /tmp/a file with spaces", v, &pool), 0);
	assert_int_equal(v->start, 0x7f0000400000ull);
	assert_int_equal(v->pgoff, 0x1000);
	assert_string_equal(v->path, "/tmp/a file with spaces");
	assert_int_equal(v->kind, PT_VMA_FILE_PRIVATE);
	/* the same path again: the pool's one copy */
	path = v->path;
	assert_int_equal(pt_maps_parse_line("7f0000500000-7f0000501000 r--p 00002000 fe:00 101  /tmp/a file with spaces", v, &pool), 0);
	assert_ptr_equal(v->path, path);
	assert_int_equal(pool.nr, 1);
	assert_int_equal(pt_maps_parse_line("7f0000000000-7f0000200000 rw-s 00000000 00:01 77   /dev/zero (deleted)", v, &pool), 0);
	assert_int_equal(v->kind, PT_VMA_ANON_SHARED);
	assert_int_equal(pt_maps_parse_line("5595ac000000-5595ac021000 rw-p 00000000 00:00 0  [heap]", v, &pool), 0);
	assert_int_equal(v->kind, PT_VMA_ANON_PRIVATE);
	assert_int_equal(pt_maps_parse_line("7f0000000000-7f0000001000 rw-p 00000000 00:00 0", v, &pool), 0);
	assert_string_equal(v->path, "");
	assert_int_equal(v->kind, PT_VMA_ANON_PRIVATE);
	assert_int_equal(pt_maps_parse_line("7f0000300000-7f0000301000 rw-s 00000000 00:05 100  /memfd:lab (deleted)", v, &pool), 0);
	assert_int_equal(v->kind, PT_VMA_FILE_SHARED);
	assert_int_equal(pt_maps_parse_line("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]", v, &pool), 0);
	assert_int_equal(v->kind, PT_VMA_SPECIAL);
	pt_intern_free(&pool);
	free(v);
}

static void maps_rejects_garbage(void **state)
{
	static const char *const bad[] = {
		"", "garbage", "1000-0 rw-p 0 00:00 0", "1000-2000",
		"1000-2000 rw-p", "zz-2000 rw-p 0 0:0 0", "2000-1000 rw-p 0 00:00 0",
		"1000-2000 rw 0 00:00 0", "1000-2000 rw-pp 0 00:00 0",
	};
	struct pt_intern pool = { 0 };
	struct pt_vma *v = malloc(sizeof(*v));
	struct pt_maps m;
	size_t i;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (pt_maps_parse_line(bad[i], v, &pool) == 0)
			fail_msg("accepted '%s'", bad[i]);
		else if (!v->path || v->path[0])
			fail_msg("'%s' left a path", bad[i]);
	}
	assert_int_equal(pool.nr, 0);
	f = fmemopen((void *)"1000-2000 rw-p 0 00:00 0\nnonsense\n", 34, "r");
	assert_int_equal(pt_maps_parse(f, &m), -EINVAL);
	assert_int_equal(m.nr, 0);
	fclose(f);
	free(v);
}

static void smaps_vmflags_and_kinds(void **state)
{
	struct pt_vma *v = calloc(1, sizeof(*v));

	(void)state;
	v->path = "";
	strcpy(v->perms, "rw-s");
	assert_int_equal(pt_smaps_parse_vmflags("Size: 4 kB", v), -EINVAL);
	assert_int_equal(pt_smaps_parse_vmflags("VmFlags: rd wr sh mr mw me ms pf io dc de dd sd \n", v), 0);
	assert_true(v->has_flags);
	assert_true(pt_vma_has_flag(v, "pf"));
	assert_false(pt_vma_has_flag(v, "ht"));
	assert_int_equal(v->kind, PT_VMA_PFNMAP);
	assert_int_equal(pt_smaps_parse_vmflags("VmFlags: rd wr sh mr mw me ms ht toolong x", v), 0);
	assert_int_equal(v->nr_flags, 8);
	assert_int_equal(v->kind, PT_VMA_HUGETLB);
	assert_int_equal(pt_smaps_parse_vmflags("VmFlags:", v), 0);
	assert_int_equal(v->nr_flags, 0);
	free(v);
}

static void pagemap_words_decode(void **state)
{
	struct pt_pagemap pm;

	(void)state;
	pt_pagemap_decode_word(0x8100000000184e00ull, &pm);
	assert_true(pm.present);
	assert_true(pm.exclusive);
	assert_false(pm.swapped);
	assert_int_equal(pm.pfn, 0x184e00);
	assert_false(pm.pfn_hidden);
	pt_pagemap_decode_word((1ull << 63) | (1ull << 55), &pm);
	assert_true(pm.pfn_hidden);
	assert_true(pm.soft_dirty);
	/* swapped: type in bits 0-4, offset in 5-54 */
	pt_pagemap_decode_word((1ull << 62) | (1ull << 57) | (0x1234ull << 5) | 3, &pm);
	assert_false(pm.present);
	assert_true(pm.swapped);
	assert_true(pm.uffd_wp);
	assert_int_equal(pm.swp_type, 3);
	assert_int_equal(pm.swp_offset, 0x1234);
	pt_pagemap_decode_word((1ull << 61) | (1ull << 58), &pm);
	assert_true(pm.file_shared);
	assert_true(pm.guard);
	assert_false(pm.present);
}

static void addresses_resolve_against_maps(void **state)
{
	struct pt_maps m = load_maps();
	struct pt_err err;
	uint64_t a;

	(void)state;
	assert_int_equal(pt_addr_parse("0x7f0000001000", &m, &a, &err), 0);
	assert_int_equal(a, 0x7f0000001000ull);
	assert_int_equal(pt_addr_parse("7f0000001000", &m, &a, &err), 0);
	assert_int_equal(a, 0x7f0000001000ull);
	assert_int_equal(pt_addr_parse("heap", &m, &a, &err), 0);
	assert_int_equal(a, 0x5595ac000000ull);
	assert_int_equal(pt_addr_parse("heap+0x1000", &m, &a, &err), 0);
	assert_int_equal(a, 0x5595ac001000ull);
	assert_int_equal(pt_addr_parse("heap+4096", &m, &a, &err), 0);
	assert_int_equal(a, 0x5595ac001000ull);
	/* a leading zero is decimal, as the man page says, not octal */
	assert_int_equal(pt_addr_parse("heap+010", &m, &a, &err), 0);
	assert_int_equal(a, 0x5595ac000000ull + 10);
	assert_int_equal(pt_addr_parse("heap+0X10", &m, &a, &err), 0);
	assert_int_equal(a, 0x5595ac000010ull);
	assert_int_equal(pt_addr_parse("stack-0x10", &m, &a, &err), 0);
	assert_int_equal(a, 0x7ffd6e5bdff0ull);
	assert_int_equal(pt_addr_parse("bash", &m, &a, &err), 0);
	assert_int_equal(a, 0x5595aae87000ull);
	assert_int_equal(pt_addr_parse("ld-linux-x86-64.so.2", &m, &a, &err), 0);
	assert_int_equal(a, 0x7f0000200000ull);
	assert_int_equal(pt_addr_parse("ld-linux-x86-64.so.2+0x10", &m, &a, &err), 0);
	assert_int_equal(a, 0x7f0000200010ull);
	assert_int_equal(pt_addr_parse("/usr/bin/bash+0x2f000", &m, &a, &err), 0);
	assert_int_equal(a, 0x5595aaeb6000ull);
	pt_maps_free(&m);
}

static void bad_addresses_get_their_status(void **state)
{
	static const char *const malformed[] = {
		"", "0x", "0x12zz", "-1", "+5", "heap+", "heap+zz", "12 34",
		"0xffffffffffffffffff", "heap+0xffffffffffffffff", "heap-0xffffffffffffff",
		"!!", "0x1000+-1",
	};
	struct pt_maps m = load_maps();
	struct pt_err err;
	uint64_t a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		int ret = pt_addr_parse(malformed[i], &m, &a, &err);

		if (ret != -PT_BAD_ADDR)
			fail_msg("'%s' gave %d", malformed[i], ret);
	}
	assert_int_equal(pt_addr_parse("0xffff888000000000", &m, &a, &err), -PT_BAD_ADDR);
	assert_non_null(strstr(err.msg, "kernel"));
	assert_int_equal(pt_addr_parse("nosuchlib.so", &m, &a, &err), -PT_NOT_MAPPED);
	assert_int_equal(pt_addr_parse("vdso", &m, &a, &err), -PT_NOT_MAPPED);
	pt_maps_free(&m);
}

static void ranges_parse(void **state)
{
	struct pt_maps m = load_maps();
	struct pt_err err;
	uint64_t s, e;

	(void)state;
	assert_int_equal(pt_range_parse("0x1000-0x3000", &m, &s, &e, &err), 0);
	assert_int_equal(s, 0x1000);
	assert_int_equal(e, 0x3000);
	assert_int_equal(pt_range_parse("0x1001-0x2001", &m, &s, &e, &err), 0);
	assert_int_equal(s, 0x1000);
	assert_int_equal(e, 0x3000);
	assert_int_equal(pt_range_parse("heap", &m, &s, &e, &err), 0);
	assert_int_equal(s, 0x5595ac000000ull);
	assert_int_equal(e, 0x5595ac021000ull);
	assert_int_equal(pt_range_parse("ld-linux-x86-64.so.2", &m, &s, &e, &err), 0);
	assert_int_equal(s, 0x7f0000200000ull);
	assert_int_equal(pt_range_parse("heap-heap+0x2000", &m, &s, &e, &err), 0);
	assert_int_equal(e, 0x5595ac002000ull);
	assert_int_equal(pt_range_parse("0x3000-0x1000", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_int_equal(pt_range_parse("0x1000", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_int_equal(pt_range_parse("-", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_int_equal(pt_range_parse("0x1000-", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_int_equal(pt_range_parse("", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_null(strstr(err.msg, "outside user space"));
	assert_int_equal(pt_range_parse("0xffff800000000000-0xffff800000200000", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_non_null(strstr(err.msg, "outside user space"));
	assert_int_equal(pt_range_parse("0x1000-0xffffffffff601000", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_non_null(strstr(err.msg, "outside user space"));
	/* the halves' messages echo the input: text in it is not a finding
	 * (the fuzzer's "0-not a user-space one" was called outside user space) */
	assert_int_equal(pt_range_parse("0-not a user-space one", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_non_null(strstr(err.msg, "malformed range"));
	assert_int_equal(pt_range_parse("heap-not a user-space one", &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_null(strstr(err.msg, "outside user space"));
	pt_maps_free(&m);
}

/* a range tries every '-' as its split: a line of signs is refused by its
 * length at once (it took half an hour at 20,000 characters when each half
 * tried every sign too) */
static void long_expressions_are_refused_by_length(void **state)
{
	struct pt_maps m = load_maps();
	struct pt_err err;
	uint64_t s, e;
	char *x = malloc(20001);

	(void)state;
	assert_non_null(x);
	memset(x, '-', 20000);
	x[20000] = '\0';
	assert_int_equal(pt_range_parse(x, &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_non_null(strstr(err.msg, "20000 characters is refused (the limit is 1024)"));
	assert_int_equal(pt_addr_parse(x, &m, &s, &err), -PT_BAD_ADDR);
	assert_non_null(strstr(err.msg, "the limit is 1024"));
	/* at the limit the split search still runs, and says why it failed */
	x[PT_ADDR_EXPR_MAX] = '\0';
	assert_int_equal(pt_range_parse(x, &m, &s, &e, &err), -PT_BAD_ADDR);
	assert_non_null(strstr(err.msg, "malformed range"));
	free(x);
	pt_maps_free(&m);
}

static int parse(struct pt_options *o, struct pt_err *err, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	return pt_options_parse(argc, argv, o, err);
}

static void command_lines_parse(void **state)
{
	struct pt_options o;
	struct pt_err err;

	(void)state;
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "12", "--addr", "heap", "--json", NULL), 0);
	assert_int_equal(o.cmd, PT_CMD_DUMP);
	assert_int_equal(o.pid, 12);
	assert_true(o.json);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "12", "--addr", "heap", "--child", "13", "--backend", "pagemap", NULL), 0);
	assert_int_equal(o.child, 13);
	assert_int_equal(o.backend, PT_BACKEND_PAGEMAP);
	assert_int_equal(parse(&o, &err, "ptinspect", "decode", "--level", "pmd", "0x1", NULL), 0);
	assert_string_equal(o.raw, "0x1");
	assert_int_equal(parse(&o, &err, "ptinspect", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "frob", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "x", "--addr", "1", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "-3", "--addr", "1", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "99999999999", "--addr", "1", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--addr", "1", "--range", "1-2", NULL), -PT_USAGE);
	/* --child compares runs over a range; --each and friends need --range */
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--range", "1-2", "--child", "2", NULL), 0);
	assert_int_equal(o.child, 2);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--range", "all", "--each", NULL), 0);
	assert_true(o.all && o.each);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--range", "1-2", "--child", "2", "--each", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--addr", "1", "--each", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--addr", "1", "--kpageflags", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--addr", "1", "--backend", "x", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--pid", "1", "--addr", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "dump", "--bogus", NULL), -PT_USAGE);
	assert_int_equal(parse(&o, &err, "ptinspect", "decode", "0x1", NULL), -PT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(maps_lines_parse_with_odd_paths),
		cmocka_unit_test(maps_rejects_garbage),
		cmocka_unit_test(smaps_vmflags_and_kinds),
		cmocka_unit_test(pagemap_words_decode),
		cmocka_unit_test(addresses_resolve_against_maps),
		cmocka_unit_test(bad_addresses_get_their_status),
		cmocka_unit_test(ranges_parse),
		cmocka_unit_test(long_expressions_are_refused_by_length),
		cmocka_unit_test(command_lines_parse),
	};

	PT_RUN_TESTS("parsers", tests);
}
