// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: address and range expressions (--addr, --range, the
 * lab's addr command) against a process's mappings and against none.  A
 * parsed address is in user space, a parsed range is not empty.  Run by
 * tests/fuzz/run.sh (ASan, UBSan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "procfs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a process's maps, with names an expression can hit */
static const char pt_fuzz_maps_text[] =
	"5595aae87000-5595aaeb6000 r--p 00000000 08:01 1234 /usr/bin/bash\n"
	"5595aaeb6000-5595aaf9c000 r-xp 0002f000 08:01 1234 /usr/bin/bash\n"
	"5595ac000000-5595ac200000 rw-p 00000000 00:00 0 [heap]\n"
	"7f0000000000-7f0000100000 rw-p 00000000 00:00 0 \n"
	"7f0000100000-7f0000200000 r-xp 00000000 08:01 99 /usr/lib/libc.so.6\n"
	"7f0000200000-7f0000201000 r--p 00000000 08:01 98 /usr/lib/ld-linux-x86-64.so.2\n"
	"7f0000300000-7f0000301000 rw-s 00000000 00:01 97 /tmp/a b\n"
	"7ffd6e59e000-7ffd6e5be000 rw-p 00000000 00:00 0 [stack]\n";
static struct pt_maps pt_fuzz_maps;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f = fmemopen((void *)pt_fuzz_maps_text, sizeof(pt_fuzz_maps_text) - 1, "r");

	(void)argc;
	(void)argv;
	if (!f || pt_maps_parse(f, &pt_fuzz_maps)) {
		fprintf(stderr, "cannot parse the maps\n");
		exit(1);
	}
	fclose(f);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pt_maps *m;
	struct pt_err err;
	uint64_t a, b;
	char *s = malloc(size + 1);
	int i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < 2; i++) {
		m = i ? &pt_fuzz_maps : NULL;
		if (!pt_addr_parse(s, m, &a, &err) && a > PT_USER_ADDR_MAX)
			abort();
		if (!pt_range_parse(s, m, &a, &b, &err) && a >= b)
			abort();
	}
	free(s);
	return 0;
}
