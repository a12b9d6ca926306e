// SPDX-License-Identifier: GPL-2.0
/* The run merger, fed entries as the sources give them; kpageflags names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "kpageflags.h"
#include "model.h"
#include "pagemap_abi.h"
#include "runs.h"

#define MAX_RUNS 64

struct got {
	struct pt_run r[MAX_RUNS];
	size_t n;
};

static int collect(const struct pt_run *r, void *arg)
{
	struct got *g = arg;

	if (g->n < MAX_RUNS)
		g->r[g->n] = *r;
	g->n++;
	return 0;
}

static struct pt_layout ly;

static struct pt_range_entry pm_entry(uint64_t va, enum pt_level l,
				      uint64_t flags, uint64_t pfn)
{
	return (struct pt_range_entry){
		.va = va,
		.pm = PM_PRESENT | flags | pfn,
		.level = l,
		.state = PT_STATE_LEAF,
		.flags = PT_RE_PM | PT_RE_SCAN,
	};
}

static void feed(struct pt_runs *rs, const struct pt_range_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(pt_runs_add(rs, &e[i]), 0);
	assert_int_equal(pt_runs_flush(rs), 0);
}

static void uniform_pages_are_one_run(void **state)
{
	struct pt_range_entry *e = calloc(4096, sizeof(*e));
	struct pt_runs rs;
	struct got g = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < 4096; i++)
		/* scattered PFNs: the run still holds, its PFNs do not follow */
		e[i] = pm_entry(0x7f0000000000ull + i * 4096, PT_PTE,
				PM_MMAP_EXCLUSIVE, 0x1000 + (i * 7919) % 65536);
	pt_runs_init(&rs, &ly, 0, collect, &g);
	feed(&rs, e, 4096);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.r[0].start, 0x7f0000000000ull);
	assert_int_equal(g.r[0].end, 0x7f0000000000ull + 4096 * 4096);
	assert_int_equal(g.r[0].count, 4096);
	assert_int_equal(g.r[0].first_pfn, 0x1000);
	assert_false(g.r[0].pfn_contig);
	free(e);
}

static void holes_levels_and_bits_end_runs(void **state)
{
	struct pt_range_entry e[] = {
		pm_entry(0x200000, PT_PMD, 0, 0x400),
		pm_entry(0x400000, PT_PMD, 0, 0x600),
		/* 4 KiB entries right after the huge ones */
		pm_entry(0x600000, PT_PTE, 0, 0x10),
		pm_entry(0x601000, PT_PTE, 0, 0x11),
		/* a hole */
		pm_entry(0x700000, PT_PTE, 0, 0x12),
		/* another bit: soft-dirty */
		pm_entry(0x701000, PT_PTE, PM_SOFT_DIRTY, 0x13),
		pm_entry(0x702000, PT_PTE, PM_SOFT_DIRTY, 0x14),
	};
	struct pt_runs rs;
	struct got g = { 0 };

	(void)state;
	pt_runs_init(&rs, &ly, 0, collect, &g);
	feed(&rs, e, sizeof(e) / sizeof(e[0]));
	assert_int_equal(g.n, 4);
	assert_int_equal(g.r[0].level, PT_PMD);
	assert_int_equal(g.r[0].count, 2);
	assert_int_equal(g.r[0].end, 0x600000);
	assert_true(g.r[0].pfn_contig);	/* 0x400 + 512 = 0x600 */
	assert_int_equal(g.r[1].level, PT_PTE);
	assert_int_equal(g.r[1].count, 2);
	assert_int_equal(g.r[2].start, 0x700000);
	assert_int_equal(g.r[2].count, 1);
	assert_int_equal(g.r[3].count, 2);
	assert_true(g.r[3].pm & PM_SOFT_DIRTY);
}

static void swap_entries_merge_by_state_not_offset(void **state)
{
	struct pt_range_entry e[3];
	struct pt_runs rs;
	struct got g = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		e[i] = (struct pt_range_entry){
			.va = 0x10000 + i * 4096,
			.pm = PM_SWAP | ((uint64_t)(100 + 9 * i) << PM_SWP_OFFSET_SHIFT),
			.level = PT_PTE,
			.state = PT_STATE_SWAP,
			.flags = PT_RE_PM,
		};
	pt_runs_init(&rs, &ly, 0, collect, &g);
	feed(&rs, e, 3);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.r[0].count, 3);
	assert_int_equal(g.r[0].first_pfn, 0);
}

static void kpageflags_split_only_when_asked(void **state)
{
	struct pt_range_entry e[4];
	struct pt_runs rs;
	struct got g = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		e[i] = pm_entry(0x10000 + i * 4096, PT_PTE, 0, 0x100 + i);
		e[i].flags |= PT_RE_KPF | PT_RE_KPC;
		e[i].kpageflags = (1ull << 12) | (i == 2 ? 1ull << 6 : 0);
		e[i].kpagecount = i == 3 ? 2 : 1;
	}
	pt_runs_init(&rs, &ly, 0, collect, &g);
	feed(&rs, e, 4);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.r[0].kpf_and, 1ull << 12);
	assert_int_equal(g.r[0].kpf_or, (1ull << 12) | (1ull << 6));
	assert_int_equal(g.r[0].kpc_min, 1);
	assert_int_equal(g.r[0].kpc_max, 2);
	assert_true(g.r[0].pfn_contig);

	memset(&g, 0, sizeof(g));
	pt_runs_init(&rs, &ly, PT_RUNS_SPLIT_KPF, collect, &g);
	feed(&rs, e, 4);
	/* 1,1 | active | mapcount 2 */
	assert_int_equal(g.n, 3);
	assert_int_equal(g.r[0].count, 2);
	assert_int_equal(g.r[1].count, 1);
	assert_int_equal(g.r[2].count, 1);
}

static void pfn_runs_split_where_pfns_jump(void **state)
{
	struct pt_range_entry e[] = {
		pm_entry(0x10000, PT_PTE, 0, 0x100),
		pm_entry(0x11000, PT_PTE, 0, 0x101),
		pm_entry(0x12000, PT_PTE, 0, 0x900),
		pm_entry(0x13000, PT_PTE, 0, 0x901),
	};
	struct pt_runs rs;
	struct got g = { 0 };

	(void)state;
	pt_runs_init(&rs, &ly, PT_RUNS_SPLIT_PFN, collect, &g);
	feed(&rs, e, 4);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.r[1].first_pfn, 0x900);
	assert_true(g.r[1].pfn_contig);
}

static void raw_entries_merge_on_bits_without_pfn(void **state)
{
	/* x86_64 ptes: present rw user accessed (0x67), dirty adds 0x40 */
	struct pt_range_entry e[3];
	struct pt_runs rs;
	struct got g = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		e[i] = (struct pt_range_entry){
			.va = 0x10000 + i * 4096,
			.raw = ((0x5000ull + i * 3) << 12) | (i == 2 ? 0x67 : 0x27),
			.level = PT_PTE,
			.state = PT_STATE_LEAF,
			.flags = PT_RE_RAW | PT_RE_SCAN,
		};
	pt_runs_init(&rs, &ly, 0, collect, &g);
	feed(&rs, e, 3);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.r[0].count, 2);
	assert_int_equal(g.r[0].first_pfn, 0x5000);
	assert_false(g.r[0].pfn_contig);
	assert_int_equal(g.r[1].first_pfn, 0x5006);
}

/* entries of 4 KiB pages in a row as PT_RANGE_SPANS gives them */
static size_t spans_of(const struct pt_range_entry *e, size_t n,
		       struct pt_range_entry *out)
{
	size_t i = 0, j, nr = 0;

	while (i < n) {
		out[nr] = e[i];
		out[nr].scattered = 0;
		for (j = i + 1; j < n && e[j].va == e[j - 1].va + 4096 &&
		     (e[j].pm & PM_FLAGS_MASK) == (e[i].pm & PM_FLAGS_MASK); j++)
			if (e[j].pm != e[j - 1].pm + 1)
				out[nr].scattered = 1;
		out[nr++].more = j - i - 1;
		i = j;
	}
	return nr;
}

static void spans_merge_as_their_pages(void **state)
{
	struct pt_range_entry *e = calloc(3000, sizeof(*e));
	struct pt_range_entry *sp = calloc(3000, sizeof(*sp));
	struct got a = { 0 }, b = { 0 };
	struct pt_runs rs;
	size_t i, n;

	(void)state;
	for (i = 0; i < 3000; i++) {
		uint64_t pfn = i < 1000 ? 0x1000 + i :	/* PFNs in a row */
			       i < 1500 ? 0x1000 + i + 7 :	/* a jump, then a row */
			       0x9000 + (i * 7919) % 4096;	/* scattered */

		e[i] = pm_entry(0x7f0000000000ull + i * 4096 + (i >= 2500) * 0x10000,
				PT_PTE, i >= 2000 && i < 2200 ? PM_SOFT_DIRTY : 0, pfn);
	}
	n = spans_of(e, 3000, sp);
	assert_true(n < 10);
	pt_runs_init(&rs, &ly, 0, collect, &a);
	feed(&rs, e, 3000);
	pt_runs_init(&rs, &ly, 0, collect, &b);
	assert_int_equal(pt_runs_add_batch(&rs, sp, n), 0);
	assert_int_equal(pt_runs_flush(&rs), 0);
	assert_int_equal(a.n, b.n);
	for (i = 0; i < a.n && i < MAX_RUNS; i++) {
		assert_int_equal(a.r[i].start, b.r[i].start);
		assert_int_equal(a.r[i].end, b.r[i].end);
		assert_int_equal(a.r[i].count, b.r[i].count);
		assert_int_equal(a.r[i].first_pfn, b.r[i].first_pfn);
		assert_int_equal(a.r[i].pfn_contig, b.r[i].pfn_contig);
		assert_int_equal(a.r[i].pm, b.r[i].pm);
	}
	/* the first run: 1000 PFNs in a row, then the jump */
	assert_int_equal(a.r[0].count, 2000);
	assert_false(a.r[0].pfn_contig);
	free(e);
	free(sp);
}

static int fail_emit(const struct pt_run *r, void *arg)
{
	(void)r;
	(void)arg;
	return -7;
}

static void emit_return_is_passed_up(void **state)
{
	struct pt_range_entry e[] = {
		pm_entry(0x10000, PT_PTE, 0, 0x100),
		pm_entry(0x20000, PT_PTE, 0, 0x101),
	};
	struct pt_runs rs;

	(void)state;
	pt_runs_init(&rs, &ly, 0, fail_emit, NULL);
	assert_int_equal(pt_runs_add(&rs, &e[0]), 0);
	assert_int_equal(pt_runs_add(&rs, &e[1]), -7);
	assert_int_equal(rs.nr_runs, 1);
}

static void kpageflags_named_as_page_types_names_them(void **state)
{
	unsigned int b, named = 0;

	(void)state;
	assert_string_equal(pt_kpf_name(12), "anonymous");
	assert_string_equal(pt_kpf_name(25), "idle_page");
	assert_string_equal(pt_kpf_name(32), "reserved");
	assert_string_equal(pt_kpf_name(34), "owner_2");
	assert_string_equal(pt_kpf_name(37), "owner_private");
	assert_string_equal(pt_kpf_name(40), "softdirty");
	assert_string_equal(pt_kpf_name(41), "arch_2");
	assert_string_equal(pt_kpf_name(42), "arch_3");
	assert_null(pt_kpf_name(27));
	assert_null(pt_kpf_name(43));
	assert_null(pt_kpf_name(64));
	for (b = 0; b < 64; b++)
		named += pt_kpf_name(b) != NULL;
	/* 0..26 (UAPI) and 32..42 (kernel hacking) */
	assert_int_equal(named, 27 + 11);
}

/* bit 34 of an anonymous page is PG_anon_exclusive (include/linux/page-flags.h:145 at 6.12) */
static void kpageflags_bit34_of_an_anonymous_page_is_anon_exclusive(void **state)
{
	(void)state;
	assert_string_equal(pt_kpf_name_in(34, (1ull << 12) | (1ull << 34)), "anon_exclusive");
	assert_string_equal(pt_kpf_name_in(34, 1ull << 34), "owner_2");
	assert_string_equal(pt_kpf_name_in(12, 1ull << 12), "anonymous");
}

/*
 * the KSM erratum: by version where the code has it, live where KSM never
 * ran; the state is the one read with the page (a replay's is recorded)
 */
static void kpageflags_errata_by_version_and_live(void **state)
{
	const uint64_t anon = 1ull << 12;
	static const struct {
		uint64_t flags;
		unsigned int maj, min;
		int ksm;
		size_t n;
		bool applies;
		const char *text;
	} t[] = {
		{ anon | (1ull << 21), 6, 12, PT_KSM_NEVER_RAN, 1, true,
		  "this kernel sets KSM on every anonymous page: fs/proc/page.c:136 at 6.12; "
		  "seen live: KSM had never run (/sys/kernel/mm/ksm/full_scans was 0)" },
		{ anon | (1ull << 21), 6, 18, PT_KSM_HAS_RUN, 1, true,
		  "this kernel sets KSM on every anonymous page: fs/proc/page.c:177 at 6.18; "
		  "told by the version only (KSM has run: the page may be merged too)" },
		{ anon | (1ull << 21), 6, 8, PT_KSM_HAS_RUN, 1, true,
		  "this kernel sets KSM on every anonymous page maybe: fs/proc/page.c:136 at 6.12; "
		  "told by the version only (KSM has run: the page may be merged too)" },
		/* 7.1 has the fix, yet a live check beats the version */
		{ anon | (1ull << 21), 7, 1, PT_KSM_NEVER_RAN, 1, true,
		  "this kernel sets KSM on every anonymous page: fs/proc/page.c:177 at 6.18; "
		  "seen live: KSM had never run (/sys/kernel/mm/ksm/full_scans was 0)" },
		{ anon | (1ull << 21), 7, 1, PT_KSM_HAS_RUN, 0, false, NULL },
		/* a recording made before the state was kept, a /sys that cannot be read */
		{ anon | (1ull << 21), 6, 12, PT_KSM_UNREAD, 1, true,
		  "this kernel sets KSM on every anonymous page: fs/proc/page.c:136 at 6.12; "
		  "told by the version only (KSM's state was not read with the page)" },
		{ anon | (1ull << 21), 6, 12, PT_KSM_UNREADABLE, 1, true,
		  "this kernel sets KSM on every anonymous page: fs/proc/page.c:136 at 6.12; "
		  "told by the version only (KSM's counters are unreadable)" },
		{ anon | (1ull << 21), 6, 1, PT_KSM_HAS_RUN, 0, false, NULL },
		/* a 6.18 whose anonymous page does not say KSM: a stable backport */
		{ anon, 6, 18, PT_KSM_NEVER_RAN, 1, false,
		  "not on this kernel: fs/proc/page.c:177 at 6.18 has it, yet this page does not "
		  "say ksm (fixed here, a stable backport)" },
		{ anon, 6, 1, PT_KSM_NEVER_RAN, 0, false, NULL },
		{ anon, 7, 2, PT_KSM_NEVER_RAN, 0, false, NULL },
		{ 1ull << 21, 6, 12, PT_KSM_NEVER_RAN, 0, false, NULL },
	};
	struct pt_kpf_erratum_seen er[2];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = pt_kpf_errata(t[i].flags, (t[i].maj << 16) | (t[i].min << 8), t[i].ksm, er, 2);
		assert_int_equal(n, t[i].n);
		if (!n)
			continue;
		assert_string_equal(er[0].flag, "ksm");
		assert_int_equal(er[0].applies, t[i].applies);
		assert_string_equal(er[0].text, t[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uniform_pages_are_one_run),
		cmocka_unit_test(holes_levels_and_bits_end_runs),
		cmocka_unit_test(swap_entries_merge_by_state_not_offset),
		cmocka_unit_test(kpageflags_split_only_when_asked),
		cmocka_unit_test(pfn_runs_split_where_pfns_jump),
		cmocka_unit_test(raw_entries_merge_on_bits_without_pfn),
		cmocka_unit_test(spans_merge_as_their_pages),
		cmocka_unit_test(emit_return_is_passed_up),
		cmocka_unit_test(kpageflags_named_as_page_types_names_them),
		cmocka_unit_test(kpageflags_bit34_of_an_anonymous_page_is_anon_exclusive),
		cmocka_unit_test(kpageflags_errata_by_version_and_live),
	};

	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	PT_RUN_TESTS("runs", tests);
}
