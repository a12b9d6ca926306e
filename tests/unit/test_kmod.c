// SPDX-License-Identifier: GPL-2.0
/* The parsers of ptdump_helper's answers and layout (man/ptdump_helper.4). */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#include "kmod.h"

static const char answer[] =
	"ptdump_helper 1\n"
	"query 137 7f084c400000 7f084c400001\n"
	"vma 7f084c400000 7f084c600000 100173\n"
	"pgd 7f0000000000 0000000005436067 table\n"
	"pud 7f0000000000 00000000053a0067 table\n"
	"pmd 7f084c400000 84000000078008a5 leaf\n"
	"end\n";

static const char layout_612[] =
	"ptdump_helper 1\narch x86_64\nrelease 6.12.117+deb12-cloud-amd64\n"
	"levels 5\nshift pgd 48\nshift p4d 39\nshift pud 30\nshift pmd 21\nshift pte 12\n"
	"pfn_mask pte fffffffffff000\n"
	"bit present 1\nbit write 2\nbit devmap 200000000000000\n"
	"bit saved_dirty 400000000000000\nbit pkey 7800000000000000\n"
	"swp max_swapfiles 27\nswp migration_read 28\nswp hwpoison 27\nswp marker 31\n"
	"vmflag rd 1\nvmflag sh 8\nvmflag pf 400\nvmflag hg 20000000\npti 1\nend\n";

static const char layout_61[] =
	"ptdump_helper 1\narch x86_64\nrelease 6.1.0-56-cloud-amd64\nlevels 4\n"
	"bit devmap 400000000000000\nswp max_swapfiles 27\nswp migration_read 27\n"
	"swp marker 30\nswp swapin_error 31\nend\n";

static void answer_parses(void **state)
{
	struct pt_kmod_answer a;

	(void)state;
	assert_int_equal(pt_kmod_parse_answer(answer, sizeof(answer) - 1, &a), 0);
	assert_int_equal(a.pid, 137);
	assert_int_equal(a.nr_vmas, 1);
	assert_int_equal(a.vmas[0].flags, 0x100173);
	assert_int_equal(a.nr_entries, 3);
	assert_int_equal(a.entries[2].level, PT_PMD);
	assert_int_equal(a.entries[2].raw, 0x84000000078008a5ull);
	assert_int_equal(a.entries[2].va, 0x7f084c400000ull);
	pt_kmod_answer_free(&a);
}

/* protocol 2: a range answered in parts, each ending with "more ADDR" */
static void answer_in_parts_parses(void **state)
{
	static const char part[] =
		"ptdump_helper 2\n"
		"query 137 7f0000000000 7f0040000000\n"
		"vma 7f0000000000 7f0040000000 100073\n"
		"pgd 7f0000000000 0000000005436067 table\n"
		"pud 7f0000000000 00000000053a0067 table\n"
		"pmd 7f0000000000 00000000053a1067 table\n"
		"pte 7f0000000000 8000000007801867 leaf\n"
		"more 7f0000200000\n"
		"end\n";
	struct pt_kmod_answer a;

	(void)state;
	assert_int_equal(pt_kmod_parse_answer(part, sizeof(part) - 1, &a), 0);
	assert_true(a.has_more);
	assert_int_equal(a.more, 0x7f0000200000ull);
	assert_int_equal(a.nr_entries, 4);
	assert_int_equal(a.entries[3].va, 0x7f0000000000ull);
	assert_int_equal(a.entries[3].raw, 0x8000000007801867ull);
	assert_int_equal(a.entries[3].level, PT_PTE);
	pt_kmod_answer_free(&a);
	/* every digit in every place of a full-width field */
	{
		static const char wide[] =
			"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\n"
			"pte fedcba9876543210 0123456789abcdef leaf\n"
			"pmd 123456789abcdef0 fedcba9876543210 table\n"
			"pud abcdef012345678 9abcdef0 none\n"
			/* a space at the 17th byte, as after 16 digits */
			"pud 7f004400050000 0 bad\nend\n";

		assert_int_equal(pt_kmod_parse_answer(wide, sizeof(wide) - 1, &a), 0);
		assert_int_equal(a.nr_entries, 4);
		assert_int_equal(a.entries[0].va, 0xfedcba9876543210ull);
		assert_int_equal(a.entries[0].raw, 0x0123456789abcdefull);
		assert_int_equal(a.entries[1].va, 0x123456789abcdef0ull);
		assert_int_equal(a.entries[1].raw, 0xfedcba9876543210ull);
		assert_int_equal(a.entries[2].va, 0xabcdef012345678ull);
		assert_int_equal(a.entries[2].raw, 0x9abcdef0ull);
		assert_int_equal(a.entries[3].va, 0x7f004400050000ull);
		assert_int_equal(a.entries[3].raw, 0);
		pt_kmod_answer_free(&a);
	}
	/* a version 1 answer has no parts */
	assert_int_equal(pt_kmod_parse_answer(answer, sizeof(answer) - 1, &a), 0);
	assert_false(a.has_more);
	pt_kmod_answer_free(&a);
}

/*
 * protocol 3: ptes carry their pagemap word, and a run of ptes whose raw
 * values and words step by a page is one line with its count
 */
static void answer_with_pagemap_words_and_runs_parses(void **state)
{
	static const char part[] =
		"ptdump_helper 3\n"
		"query 137 7f0000000000 7f0040000000\n"
		"vma 7f0000000000 7f0040000000 100073\n"
		"pgd 7f0000000000 0000000005436067 table\n"
		"pud 7f0000000000 00000000053a0067 table\n"
		"pmd 7f0000000000 00000000053a1067 table\n"
		"pte 7f0000000000 8000000007801867 leaf 81000000000007801 1ff\n"
		"pte 7f00001ff000 0000000000a00002 nonpresent 4000000000000a01\n"
		"pmd 7f0000200000 80000000090008e7 leaf\n"
		"pte 7f0000400000 8000000007a01867 leaf a100000000007a01\n"
		"end\n";
	struct pt_kmod_answer a;

	(void)state;
	/* 17 digits: refused; the word has 16 */
	assert_int_equal(pt_kmod_parse_answer(part, sizeof(part) - 1, &a), -EINVAL);
	{
		char ok[sizeof(part)];
		const char *p;

		memcpy(ok, part, sizeof(part));
		/* one 0 less */
		p = strstr(ok, "81000000000007801") + 2;
		memmove((char *)p, p + 1, strlen(p + 1) + 1);
		assert_int_equal(pt_kmod_parse_answer(ok, strlen(ok), &a), 0);
	}
	/* pgd, pud, pmd, a run of 0x1ff ptes, 1 swap pte, the huge pmd, 1 pte */
	assert_int_equal(a.nr_entries, 7);
	assert_int_equal(a.nr_expanded, 3 + 0x1ff + 1 + 1 + 1);
	assert_int_equal(a.entries[2].count, 1);
	assert_true(a.entries[3].has_pm);
	assert_int_equal(a.entries[3].count, 0x1ff);
	assert_int_equal(a.entries[3].va, 0x7f0000000000ull);
	assert_int_equal(a.entries[3].raw, 0x8000000007801867ull);
	assert_int_equal(a.entries[3].pm, 0x8100000000007801ull);
	assert_int_equal(a.entries[3].level, PT_PTE);
	/* a non-present pte's word: the swap type and offset */
	assert_true(a.entries[4].has_pm);
	assert_int_equal(a.entries[4].count, 1);
	assert_int_equal(a.entries[4].pm, 0x4000000000000a01ull);
	assert_int_equal(a.entries[4].raw, 0xa00002);
	/* no word: user space reads pagemap for it */
	assert_int_equal(a.entries[5].level, PT_PMD);
	assert_false(a.entries[5].has_pm);
	assert_int_equal(a.entries[6].pm, 0xa100000000007a01ull);
	assert_int_equal(a.entries[6].va, 0x7f0000400000ull);
	pt_kmod_answer_free(&a);
}

static void bad_answers_are_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"ptdump_helper 7\nquery 1 0 1\nend\n",
		/* "more" must lie inside the query, after its start, and come last */
		"ptdump_helper 2\nquery 1 1000 9000\nmore 1000\nend\n",
		"ptdump_helper 2\nquery 1 1000 9000\nmore 9000\nend\n",
		"ptdump_helper 2\nquery 1 1000 9000\nmore 2000\nvma 0 1000 0\nend\n",
		"ptdump_helper 2\nquery 1 1000 9000\nmore 2000\nmore 3000\nend\n",
		"ptdump_helper 2\nquery 1 1000 9000\nmore\nend\n",
		"ptdump_helper 2\nquery 1 1000 9000\nmore 2000 x\nend\n",
		"ptdump_helper 2\nquery 1 1000 9000\nmore 2000\n",
		"ptdump_helper 1\n",
		"ptdump_helper 1\nquery 1 0 1\n",				/* truncated */
		"ptdump_helper 1\nquery 1 0 1\npmd 0 1 leaf\nend\n",	/* entry before vma */
		"ptdump_helper 1\nquery 1 0 1\nvma 1000 0 0\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npxd 0 1 leaf\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 1 weird\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 -1 leaf\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 1ffffffffffffffff leaf\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 1 leaf extra\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nend\nvma 0 1000 0\n",
		/* entry lines: four tokens one space apart, hex digits only */
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd  0 1 leaf\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 1 leaf \nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 0x1 leaf\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 1A leaf\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 1\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npm 0 1 leaf\nend\n",
		"ptdump_helper 1\nquery 1 0 1\nvma 0 1000 0\npmd 0 1 leafy\nend\n",
		"ptdump_helper 1 \nquery 1 0 1\nend\n",
		/* full-width fields, read eight digits at a time */
		"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\npte 7f0000000000 80000000078018G7 leaf\nend\n",
		"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\npte 7f0000000000 8000000007801867A leaf\nend\n",
		"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\npte 7F0000000000 8000000007801867 leaf\nend\n",
		"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\npte 7f00000000:0 8000000007801867 leaf\nend\n",
		"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\npte 17f0000000000000a 8000000007801867 leaf\nend\n",
		"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\npte 7f0000000000 8000000007801867\xa0leaf\nend\n",
		"ptdump_helper 2\nquery 1 0 1\nvma 0 1000 0\npte 7f0000000000 800000000780186\x80 leaf\nend\n",
		/* protocol 3: PM, then COUNT 2 or more, for ptes only */
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001 1\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001 0\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npmd 0 1 leaf 8000000000000001 2\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001 2 3\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001 \nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 18000000000000001\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001 10001\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte fffffffffffff000 1 leaf 1 2\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf  8000000000000001\nend\n",
		"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001 -2\nend\n",
		/* protocol 5: a short line follows a pte line with a word */
		"ptdump_helper 4\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001\n+1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\n+1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf\n+1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npmd 0 1 leaf\n+1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\nvma 1000 2000 0\n+1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\npmd 0 1 table\n+1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n-0\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+1 1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+1 \nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+ 1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+g\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+-1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+11111111111111111\nend\n",
		/* one spelling of D, as the module writes it */
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+00\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+01\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+ffffffffffffffff\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n+8000000000000000\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\n-8000000000000001\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte fffffffffffff000 1 leaf 1\n+1\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte ffffffffffffe000 1 leaf 1\n+1 2\nend\n",
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1\nend\n+1\n",
		"ptdump_helper 5\nquery 1 1000 9000\nvma 0 9000 0\npte 0 1 leaf 1\nmore 2000\n+1\nend\n",
		/* spans: protocol 6, a count of 2 or more, one spelling */
		"ptdump_helper 5\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 2 s\nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 s\nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 1 s\nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 2 S\nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 2  s\nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 2 s \nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 2 ss\nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 2 s\nend\n",
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npmd 0 1 leaf 1 2 s\nend\n",
		/* a span's last pte is unknown: no short line follows one */
		"ptdump_helper 6\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 1 2 s\n+1\nend\n",
	};
	struct pt_kmod_answer a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = pt_kmod_parse_answer(bad[i], strlen(bad[i]), &a);

		if (!ret)
			fail_msg("accepted #%zu", i);
		assert_null(a.entries);
	}
	assert_int_equal(pt_kmod_parse_answer(bad[1], strlen(bad[1]), &a), -EPROTO);
	/* more entries than one answer may hold */
	{
		static const char big[] =
			"ptdump_helper 3\nquery 1 0 1\nvma 0 1000 0\npte 0 1 leaf 8000000000000001 10001\nend\n";

		assert_int_equal(pt_kmod_parse_answer(big, strlen(big), &a), -E2BIG);
	}
	/* version 1 knew no "more" line */
	assert_int_equal(pt_kmod_parse_answer(bad[2], strlen(bad[2]), &a), -EINVAL);
}

/*
 * protocol 5: a pte that follows the pte line before is "+D" or "-D", its
 * value and word the last pte's plus D pages and D; with a count, a run
 */
static void answer_with_short_lines_parses(void **state)
{
	static const char text[] =
		"ptdump_helper 5\n"
		"query 137 7f0000000000 7f0040000000\n"
		"vma 7f0000000000 7f0040000000 100073\n"
		"pmd 7f0000000000 00000000053a1067 table\n"
		"pte 7f0000000000 8000000007801867 leaf 8100000000007801 3\n"
		"-2a\n"		/* after the run's last pte, 7803 */
		"+2 4\n"		/* 77db, then a run from 77dd */
		"+0\n"			/* 77de again: the same page twice */
		"pte 7f0000009000 0000000000a00002 nonpresent 4000000000000a01\n"
		"+1\n"			/* the next swap slot, a page up in raw */
		"pmd 7f0000200000 00000000053a2067 table\n"
		"pte 7f0000200000 8000000007a01867 leaf a100000000007a01\n"
		"-8000000000000000\n"	/* modulo 2^64 */
		"end\n";
	static const struct {
		uint64_t va, raw, pm;
		unsigned int count;
	} want[] = {
		{ 0x7f0000000000, 0x8000000007801867, 0x8100000000007801, 3 },
		{ 0x7f0000003000, 0x80000000077d9867, 0x81000000000077d9, 1 },
		{ 0x7f0000004000, 0x80000000077db867, 0x81000000000077db, 4 },
		{ 0x7f0000008000, 0x80000000077de867, 0x81000000000077de, 1 },
		{ 0x7f0000009000, 0xa00002, 0x4000000000000a01, 1 },
		{ 0x7f000000a000, 0xa01002, 0x4000000000000a02, 1 },
		{ 0x7f0000200000, 0x8000000007a01867, 0xa100000000007a01, 1 },
		{ 0x7f0000201000, 0x8000000007a01867, 0x2100000000007a01, 1 },
	};
	struct pt_kmod_answer a;
	size_t i, k = 0;

	(void)state;
	assert_int_equal(pt_kmod_parse_answer(text, sizeof(text) - 1, &a), 0);
	assert_int_equal(a.nr_entries, 10);
	assert_int_equal(a.nr_expanded, 1 + 3 + 1 + 4 + 1 + 1 + 1 + 1 + 1 + 1);
	for (i = 0; i < a.nr_entries; i++) {
		const struct pt_kmod_entry *e = &a.entries[i];

		if (e->level != PT_PTE)
			continue;
		assert_true(k < sizeof(want) / sizeof(want[0]));
		assert_true(e->has_pm);
		assert_int_equal(e->va, want[k].va);
		assert_int_equal(e->raw, want[k].raw);
		assert_int_equal(e->pm, want[k].pm);
		assert_int_equal(e->count, want[k].count);
		k++;
	}
	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
	pt_kmod_answer_free(&a);
}

/*
 * protocol 6: asked for spans, ptes whose bits but the PFN's are the same
 * are one line, " s" after the count when their PFNs do not step; runs
 * and short lines stand beside them
 */
static void answer_with_spans_parses(void **state)
{
	static const char text[] =
		"ptdump_helper 6\n"
		"query 1 7f0000000000 7f0000400000\n"
		"vma 7f0000000000 7f0000400000 100073\n"
		"pte 7f0000000000 8000000007801867 leaf 8100000000007801 1f0 s\n"
		"pte 7f00001f0000 8000000001234847 leaf 8100000000001234 3\n"
		"+5\n"
		"pte 7f00001f4000 8000000002000867 leaf 8100000000002000 2 s\n"
		"pte 7f00001f6000 8000000002000867 leaf 8100000000002000 2\n"
		"end\n";
	static const struct {
		uint64_t va, raw, pm;
		unsigned int count;
		bool span;
	} want[] = {
		{ 0x7f0000000000, 0x8000000007801867, 0x8100000000007801, 0x1f0, true },
		{ 0x7f00001f0000, 0x8000000001234847, 0x8100000000001234, 3, false },
		{ 0x7f00001f3000, 0x800000000123b847, 0x810000000000123b, 1, false },
		{ 0x7f00001f4000, 0x8000000002000867, 0x8100000000002000, 2, true },
		{ 0x7f00001f6000, 0x8000000002000867, 0x8100000000002000, 2, false },
	};
	struct pt_kmod_answer a;
	size_t i;

	(void)state;
	assert_int_equal(pt_kmod_parse_answer(text, sizeof(text) - 1, &a), 0);
	assert_int_equal(a.nr_entries, sizeof(want) / sizeof(want[0]));
	assert_int_equal(a.nr_spans, 2);
	assert_int_equal(a.nr_expanded, 0x1f0 + 3 + 1 + 2 + 2);
	for (i = 0; i < a.nr_entries; i++) {
		const struct pt_kmod_entry *e = &a.entries[i];

		assert_int_equal(e->level, PT_PTE);
		assert_true(e->has_pm);
		assert_int_equal(e->va, want[i].va);
		assert_int_equal(e->raw, want[i].raw);
		assert_int_equal(e->pm, want[i].pm);
		assert_int_equal(e->count, want[i].count);
		assert_int_equal(e->span, want[i].span);
	}
	pt_kmod_answer_free(&a);
}

static uint64_t gen_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct gen_pte {
	uint64_t va, raw, pm;
	bool has_pm;
};

/*
 * Generated ptes written as the module writes them (runs, short lines
 * where a pte follows the line before, a pmd line at each table, words
 * missing here and there) read back pte for pte.
 */
static void generated_short_lines_read_back(void **state)
{
	enum { NR = 3000, ROUNDS = 40 };
	uint64_t seed = (uint64_t)time(NULL) | 1, s = seed;
	static struct gen_pte pte[NR];
	char *text = malloc(NR * 64 + 256), *p;
	struct pt_kmod_answer a;
	unsigned int r;

	(void)state;
	assert_non_null(text);
	for (r = 0; r < ROUNDS; r++) {
		uint64_t va = 0x7f0000000000ull, flags = 0x8000000000000867ull, pfn = 0x7801;
		size_t i, n, k, shorts = 0;
		bool chain = false;

		for (i = 0; i < NR; i++) {
			uint64_t x = gen_next(&s);

			va += (x & 7) ? 0x1000 : 0x1000 * (1 + (x >> 8) % 600);
			pfn = (x >> 3) % 3 ? pfn + 1 : (x >> 20) & 0xfffffff;
			if (!((x >> 40) % 13))
				flags ^= 1ull << (x >> 50) % 11;
			pte[i].va = va;
			pte[i].raw = flags | pfn << 12;
			pte[i].has_pm = (x >> 45) % 17;
			pte[i].pm = pte[i].has_pm ? (0x81ull << 55) | pfn : 0;
		}
		p = text + sprintf(text, "ptdump_helper 5\nquery 1 7f0000000000 7fffffffffff\n"
				   "vma 7f0000000000 7fffffffffff 100073\n");
		for (i = 0; i < NR; i = k) {
			const struct gen_pte *e = &pte[i];
			uint64_t d = e->pm - pte[i - !!i].pm;

			for (k = i + 1; k < NR && e->has_pm && pte[k].has_pm &&
			     (pte[k].va & ~(uint64_t)0x1fffff) == (e->va & ~(uint64_t)0x1fffff) &&
			     pte[k].va == e->va + (k - i) * 0x1000 &&
			     pte[k].raw == e->raw + (k - i) * 0x1000 && pte[k].pm == e->pm + (k - i);
			     k++)
				;
			if (!i || (e->va & ~(uint64_t)0x1fffff) != (pte[i - 1].va & ~(uint64_t)0x1fffff)) {
				p += sprintf(p, "pmd %" PRIx64 " 0000000000001067 table\n",
					     e->va & ~(uint64_t)0x1fffff);
				chain = false;
			}
			if (chain && e->has_pm && e->va == pte[i - 1].va + 0x1000 &&
			    e->raw == pte[i - 1].raw + d * 0x1000) {
				p += sprintf(p, "%c%" PRIx64, (int64_t)d < 0 ? '-' : '+',
					     (int64_t)d < 0 ? -d : d);
				shorts++;
			} else {
				p += sprintf(p, "pte %" PRIx64 " %016" PRIx64 " leaf", e->va, e->raw);
				if (e->has_pm)
					p += sprintf(p, " %016" PRIx64, e->pm);
			}
			if (k - i > 1)
				p += sprintf(p, " %zx", k - i);
			*p++ = '\n';
			chain = e->has_pm;
		}
		p += sprintf(p, "end\n");
		if (pt_kmod_parse_answer(text, p - text, &a))
			fail_msg("seed %" PRIu64 " round %u: refused", seed, r);
		for (i = n = 0; i < a.nr_entries; i++) {
			const struct pt_kmod_entry *e = &a.entries[i];
			struct pt_kmod_entry one;

			for (k = 0; e->level == PT_PTE && k < e->count; k++, n++) {
				pt_kmod_run_pte(e, k, &one);
				if (n >= NR || one.va != pte[n].va || one.raw != pte[n].raw ||
				    one.has_pm != pte[n].has_pm || (one.has_pm && one.pm != pte[n].pm))
					fail_msg("seed %" PRIu64 " round %u: pte %zu reads otherwise",
						 seed, r, n);
			}
		}
		if (n != NR || !shorts)
			fail_msg("seed %" PRIu64 " round %u: %zu ptes read, %zu short lines", seed,
				 r, n, shorts);
		pt_kmod_answer_free(&a);
	}
	free(text);
}

/*
 * protocol 4: a pmd table a shared hugetlb VMA may share, left unread on a
 * kernel without the IPI after unsharing one; the source says so
 */
static const char unfollowed_answer[] =
	"ptdump_helper 4\n"
	"query %d 7f0000000000 7f0000000001\n"
	"vma 7f0000000000 7f0040000000 8400fb\n"
	"pgd 7f0000000000 0000000005436067 table\n"
	"pud 7f0000000000 00000000053a0067 table\n"
	"unfollowed 7f0000000000\n"
	"end\n";

static char unfollowed_text[256];

static int unfollowed_send(void *ctx, const char *q, size_t len)
{
	(void)ctx;
	(void)q;
	(void)len;
	return 0;
}

static ssize_t unfollowed_recv(void *ctx, char *buf, size_t cap)
{
	size_t n = strlen(unfollowed_text);

	(void)ctx;
	assert_true(n < cap);
	memcpy(buf, unfollowed_text, n);
	return n;
}

static void unfollowed_table_is_said(void **state)
{
	static const struct pt_kmod_ask ask = {
		.send = unfollowed_send,
		.recv = unfollowed_recv,
	};
	struct pt_kmod_answer a;
	struct pt_err err = { 0 };
	struct pt_source src;
	struct pt_walk w;

	(void)state;
	snprintf(unfollowed_text, sizeof(unfollowed_text), unfollowed_answer, 137);
	assert_int_equal(pt_kmod_parse_answer(unfollowed_text, strlen(unfollowed_text), &a), 0);
	assert_int_equal(a.nr_entries, 2);
	assert_int_equal(a.nr_unfollowed, 1);
	assert_int_equal(a.unfollowed, 0x7f0000000000ull);
	pt_kmod_answer_free(&a);
	/* before any vma line, or without an address: refused */
	assert_int_equal(pt_kmod_parse_answer("ptdump_helper 4\nquery 1 0 1\nunfollowed 0\nend\n",
					      45, &a), -EINVAL);
	assert_int_equal(pt_kmod_parse_answer("ptdump_helper 4\nquery 1 0 1\nvma 0 1000 0\nunfollowed\nend\n",
					      56, &a), -EINVAL);
	/* a walk through the source notes it, whatever /proc then says */
	snprintf(unfollowed_text, sizeof(unfollowed_text), unfollowed_answer, (int)getpid());
	assert_int_equal(pt_kmod_open_ask(&src, layout_612, sizeof(layout_612) - 1, &ask, NULL, &err), 0);
	src.ops->walk(&src, getpid(), 0x7f0000000000ull, &w, &err);
	assert_non_null(strstr(src.note, "shared hugetlb pmd tables not read"));
	pt_source_close(&src);
}

static void layout_overrides_the_table(void **state)
{
	struct pt_layout ly;

	(void)state;
	/* a 6.12 layout on a table told it was 6.1: the module wins */
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 1));
	assert_int_equal(pt_kmod_parse_layout(layout_612, sizeof(layout_612) - 1, &ly), 0);
	assert_true(ly.la57);
	assert_true(ly.pti);
	assert_int_equal(pt_layout_row(&ly, "devmap")->mask, 1ull << 57);
	assert_int_equal(pt_layout_row(&ly, "saved_dirty")->mask, 1ull << 58);
	assert_non_null(strstr(ly.kmod_diff, "devmap"));
	assert_int_equal(ly.swp.hwpoison, 27);
	/* vm_flags names: the walk's vma line names its flags without smaps */
	assert_int_equal(ly.nr_vmflags, 4);
	assert_string_equal(ly.vmflags[2].name, "pf");
	assert_int_equal(ly.vmflags[2].mask, 0x400);
	/* the matching table: nothing differs */
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 1));
	assert_int_equal(pt_kmod_parse_layout(layout_61, sizeof(layout_61) - 1, &ly), 0);
	assert_false(ly.la57);
	assert_false(ly.pti);
	assert_string_equal(ly.kmod_diff, "");
	assert_null(pt_layout_row(&ly, "saved_dirty"));
	assert_int_equal(ly.swp.swapin_error, 31);
}

/*
 * arm64: the module names the MAIR slots of the running kernel (its "mt"
 * lines); they name PTE_ATTRINDX's values over the table's guess, and
 * "levels 5" is LPA2 (bits 9:8 then hold OA[51:50], no shareability).
 */
static const char layout_arm64[] =
	"ptdump_helper 2\narch arm64\nrelease 6.12.117+deb12-cloud-arm64\nlevels 5\n"
	"pfn_mask pte 3fffffffff000\n"
	"mt MT_NORMAL 0\nmt MT_NORMAL_TAGGED 1\nmt MT_NORMAL_NC 2\n"
	"mt MT_DEVICE_nGnRnE 5\nmt MT_DEVICE_nGnRE 4\nmt MT_NEW_KIND 6\n"
	"bit attrindx 1c\nbit shareability 300\nend\n";

static void arm64_layout_names_attrindx_values(void **state)
{
	const struct pt_bit *ai;
	struct pt_layout ly;
	char buf[32];

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	assert_int_equal(pt_kmod_parse_layout(layout_arm64, sizeof(layout_arm64) - 1, &ly), 0);
	ai = pt_layout_row(&ly, "attrindx");
	assert_string_equal(pt_field_text(&ly, ai, 0x0, false, buf, sizeof(buf)), "MT_NORMAL");
	/* the kernel's number wins, and the difference is kept */
	assert_string_equal(pt_field_text(&ly, ai, 5 << 2, false, buf, sizeof(buf)), "MT_DEVICE_nGnRnE");
	assert_non_null(strstr(ly.kmod_diff, "MT_DEVICE_nGnRnE: table 3, kernel 5"));
	/* a name only the kernel knows */
	assert_string_equal(pt_field_text(&ly, ai, 6 << 2, false, buf, sizeof(buf)), "MT_NEW_KIND");
	assert_string_equal(pt_field_text(&ly, ai, 7 << 2, false, buf, sizeof(buf)), "7");
	assert_true(ly.la57);
	assert_false(pt_row_applies(pt_layout_row(&ly, "shareability"), PT_PTE, PT_STATE_LEAF));
}

static void bad_layouts_are_refused(void **state)
{
	static const char *const bad[] = {
		"", "ptdump_helper 1\n", "ptdump_helper 9\nend\n",
		"ptdump_helper 1\nlevels 3\nend\n",
		"ptdump_helper 1\nbit x zz\nend\n",
		"ptdump_helper 1\nbit x 0\nend\n",
		"ptdump_helper 1\nswp marker 99\nend\n",
		"ptdump_helper 1\nvmflag pfn 400\nend\n",
		"ptdump_helper 1\nvmflag pf 0\nend\n",
		"ptdump_helper 2\npti 2\nend\n",
		"ptdump_helper 2\npti 1 1\nend\n",
		"ptdump_helper 2\nmt MT_NORMAL 8\nend\n",
		"ptdump_helper 2\nmt MT_NORMAL -1\nend\n",
		"ptdump_helper 2\nmt NORMAL 0\nend\n",
	};
	struct pt_layout ly;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
		if (!pt_kmod_parse_layout(bad[i], strlen(bad[i]), &ly))
			fail_msg("accepted #%zu", i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answer_parses),
		cmocka_unit_test(answer_in_parts_parses),
		cmocka_unit_test(answer_with_pagemap_words_and_runs_parses),
		cmocka_unit_test(bad_answers_are_refused),
		cmocka_unit_test(answer_with_short_lines_parses),
		cmocka_unit_test(answer_with_spans_parses),
		cmocka_unit_test(generated_short_lines_read_back),
		cmocka_unit_test(unfollowed_table_is_said),
		cmocka_unit_test(layout_overrides_the_table),
		cmocka_unit_test(arm64_layout_names_attrindx_values),
		cmocka_unit_test(bad_layouts_are_refused),
	};

	PT_RUN_TESTS("kmod", tests);
}
