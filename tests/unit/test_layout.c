// SPDX-License-Identifier: GPL-2.0
/* The decoder's tables: invariants, and entries decoded as the kernel does. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tap.h"

#include "layout.h"
#include "report_lab.h"

static const unsigned int kernels[] = {
	0, PT_KV(6, 1), PT_KV(6, 6), PT_KV(6, 9), PT_KV(6, 10), PT_KV(6, 12),
	PT_KV(6, 16), PT_KV(6, 17),
};

static const enum pt_state shapes[] = {
	PT_STATE_TABLE, PT_STATE_LEAF, PT_STATE_PROT_NONE, PT_STATE_SWAP,
};

static void check_layout(const struct pt_layout *ly)
{
	enum pt_level l;
	size_t i, k, s;

	for (i = 0; i < ly->nr_rows; i++) {
		const struct pt_bit *r = &ly->rows[i];
		const char *c;

		assert_non_null(r->name);
		assert_non_null(r->abbr);
		assert_non_null(r->desc);
		assert_true(r->desc[0]);
		assert_true(r->mask);
		assert_true(r->levels && !(r->levels & ~PT_L_ALL));
		/* no shape: a row this configuration does not use (SH with LPA2) */
		assert_true(!(r->shapes & ~PT_SHAPE_ANY));
		assert_true(r->shapes || ly->la57);
		for (c = r->name; *c; c++)
			assert_true(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_');
		if (!(r->flags & PT_BIT_FIELD))
			assert_int_equal(__builtin_popcountll(r->mask), 1);
	}
	for (l = 0; l < PT_NR_LEVELS; l++) {
		for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
			uint64_t seen = ly->arch->pfn_mask(ly, l, shapes[s]);

			if (shapes[s] == PT_STATE_SWAP)
				seen = ly->arch->swp_mask(ly);
			for (i = 0; i < ly->nr_rows; i++) {
				const struct pt_bit *r = &ly->rows[i];

				if (!pt_row_applies(r, l, shapes[s]))
					continue;
				/* no two rows, and no row and the PFN, share a bit */
				if (seen & r->mask)
					fail_msg("%s %s: row %s overlaps", ly->arch->name,
						 pt_level_name(l), r->name);
				seen |= r->mask;
				for (k = i + 1; k < ly->nr_rows; k++)
					if (pt_row_applies(&ly->rows[k], l, shapes[s]) &&
					    !strcmp(ly->rows[k].name, r->name))
						fail_msg("%s: name %s twice", ly->arch->name,
							 r->name);
			}
		}
	}
}

static void table_rows_are_disjoint_and_named(void **state)
{
	const struct pt_arch *const *all;
	struct pt_layout ly;
	size_t nr, a, k;

	(void)state;
	all = pt_arch_all(&nr);
	assert_int_equal(nr, 2);
	for (a = 0; a < nr; a++) {
		for (k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
			pt_layout_init(&ly, all[a], kernels[k]);
			check_layout(&ly);
			pt_layout_set_la57(&ly, true);
			check_layout(&ly);
		}
	}
}

static void x86_fixed_json_keys_exist(void **state)
{
	static const char *const keys[] = {
		"present", "write", "user", "accessed", "dirty", "saved_dirty",
		"huge", "special", "soft_dirty", "uffd_wp", "devmap", "nx",
		"global",
	};
	struct pt_layout ly;
	size_t i;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!pt_layout_row(&ly, keys[i]))
			fail_msg("no row %s", keys[i]);
}

static void x86_devmap_and_saved_dirty_move_between_kernels(void **state)
{
	struct pt_layout ly;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 1));
	assert_int_equal(pt_layout_row(&ly, "devmap")->mask, 1ull << 58);
	assert_null(pt_layout_row(&ly, "saved_dirty"));
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	assert_int_equal(pt_layout_row(&ly, "devmap")->mask, 1ull << 57);
	assert_int_equal(pt_layout_row(&ly, "saved_dirty")->mask, 1ull << 58);
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 17));
	assert_null(pt_layout_row(&ly, "devmap"));
	assert_int_equal(pt_layout_row(&ly, "saved_dirty")->mask, 1ull << 58);
}

/* A THP pmd after fork on 6.12, from SCREEN.md: W clear, SavedDirty set. */
static void x86_pmd_after_fork_is_dirty_through_saved_dirty(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	pt_decode(&ly, PT_PMD, 0x84000000078008a5ull, &d);
	assert_int_equal(d.state, PT_STATE_LEAF);
	assert_int_equal(d.pfn, 0x7800);
	assert_int_equal(d.size, 2ull << 20);
	assert_false(d.sum.write);
	assert_true(d.sum.dirty);	/* pte_dirty(): Dirty | SavedDirty */
	assert_true(d.sum.huge);
	assert_true(d.sum.young);
	assert_int_equal(d.unknown, 0);
	/* on 6.1 bit 58 is devmap, so the same value is not dirty */
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 1));
	pt_decode(&ly, PT_PMD, 0x84000000078008a5ull, &d);
	assert_false(d.sum.dirty);
	assert_int_equal(d.unknown, 0);
}

static void x86_bit7_is_pat_at_pte_and_pse_above(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	pt_decode(&ly, PT_PTE, 0x80000000012340e7ull, &d);
	assert_int_equal(d.state, PT_STATE_LEAF);
	assert_int_equal(d.size, 4096);
	assert_false(d.sum.huge);
	assert_int_equal(d.pfn, 0x1234);
	assert_int_equal(pt_row_value(pt_layout_row(&ly, "pat"), 0xe7), 1);
	pt_decode(&ly, PT_PMD, 0x1234067ull, &d);
	assert_int_equal(d.state, PT_STATE_TABLE);
	assert_int_equal(d.pfn, 0x1234);
}

static void x86_unknown_bit_is_kept(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 1));
	pt_decode(&ly, PT_PTE, (1ull << 57) | (1ull << 53) | 0x1067, &d);
	assert_int_equal(d.unknown, (1ull << 57) | (1ull << 53));
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	pt_decode(&ly, PT_PTE, (1ull << 57) | (1ull << 53) | 0x1067, &d);
	assert_int_equal(d.unknown, 1ull << 53);
}

/* __swp_entry(type, offset) of arch/x86/include/asm/pgtable_64.h */
static uint64_t x86_swp_entry(uint64_t type, uint64_t offset)
{
	return (~offset << 14 >> 5) | (type << 59);
}

static void x86_swap_and_migration_entries(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	pt_decode(&ly, PT_PTE, x86_swp_entry(3, 0x1234) | 8, &d);
	assert_int_equal(d.state, PT_STATE_SWAP);
	assert_int_equal(d.swp_type, 3);
	assert_int_equal(d.swp_offset, 0x1234);
	assert_true(d.sum.exclusive);
	assert_int_equal(d.unknown, 0);
	pt_decode(&ly, PT_PTE, x86_swp_entry(30, 0x5678), &d);
	assert_int_equal(d.state, PT_STATE_MIGRATION);
	assert_int_equal(d.swp_offset, 0x5678);
	pt_decode(&ly, PT_PTE, x86_swp_entry(27, 1), &d);
	assert_int_equal(d.state, PT_STATE_HWPOISON);
	pt_decode(&ly, PT_PTE, x86_swp_entry(31, 1), &d);
	assert_int_equal(d.state, PT_STATE_MARKER);
	/* 6.1 numbers them without hwpoison */
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 1));
	pt_decode(&ly, PT_PTE, x86_swp_entry(27, 1), &d);
	assert_int_equal(d.state, PT_STATE_MIGRATION);
	pt_decode(&ly, PT_PTE, x86_swp_entry(31, 1), &d);
	assert_int_equal(d.state, PT_STATE_SWAPIN_ERROR);
}

static void x86_prot_none_pfn_is_inverted(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;
	/* pte_modify() to PROT_NONE: P clear, PROTNONE set, PFN inverted */
	uint64_t raw = ((~0x1234ull << 12) & 0x000ffffffffff000ull) | 0x164;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	pt_decode(&ly, PT_PTE, raw, &d);
	assert_int_equal(d.state, PT_STATE_PROT_NONE);
	assert_int_equal(d.pfn, 0x1234);
	assert_true(d.sum.present);
	assert_int_equal(d.unknown, 0);
}

static void x86_none_entry(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	pt_decode(&ly, PT_PMD, 0, &d);
	assert_int_equal(d.state, PT_STATE_NONE);
	assert_false(d.has_pfn);
}

static void arm64_write_and_dirty_follow_helpers(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;
	uint64_t base = 0x0060000012345f43ull & ~(1ull << 51) & ~(1ull << 7);

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	/* DBM clear, RDONLY set: clean and read-only */
	pt_decode(&ly, PT_PTE, base | (1ull << 7), &d);
	assert_int_equal(d.state, PT_STATE_LEAF);
	assert_false(d.sum.write);
	assert_false(d.sum.dirty);
	assert_int_equal(d.pfn, 0x12345);
	/* DBM set, RDONLY set: writable, clean (pte_wrprotect'ed by hw) */
	pt_decode(&ly, PT_PTE, base | (1ull << 51) | (1ull << 7), &d);
	assert_true(d.sum.write);
	assert_false(d.sum.dirty);
	/* DBM set, RDONLY clear: hardware dirtied it */
	pt_decode(&ly, PT_PTE, base | (1ull << 51), &d);
	assert_true(d.sum.dirty);
	/* software dirty alone */
	pt_decode(&ly, PT_PTE, base | (1ull << 7) | (1ull << 55), &d);
	assert_true(d.sum.dirty);
	assert_false(d.sum.write);
}

static void arm64_block_and_bit58_by_kernel(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	pt_decode(&ly, PT_PMD, 0x0040000040000f41ull, &d);
	assert_int_equal(d.state, PT_STATE_LEAF);
	assert_true(d.sum.huge);
	assert_int_equal(d.size, 2ull << 20);
	assert_int_equal(d.pfn, 0x40000);
	pt_decode(&ly, PT_PTE, 0x0400000012345f43ull, &d);
	assert_true(d.sum.uffd_wp);
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 9));
	assert_null(pt_layout_row(&ly, "uffd_wp"));
	/* !valid with bit 58: PROT_NONE on 6.9 */
	pt_decode(&ly, PT_PTE, 0x0400000012345f42ull, &d);
	assert_int_equal(d.state, PT_STATE_PROT_NONE);
}

/* Debian's arm64 6.12 under a CPU with LPA2: "levels 5" in the layout */
static void arm64_five_levels_show_the_p4d(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	assert_false(ly.arch->levels(&ly) & PT_L(PT_P4D));
	assert_int_equal(ly.arch->shift(&ly, PT_PGD), 39);
	pt_layout_set_la57(&ly, true);
	assert_true(ly.arch->levels(&ly) & PT_L(PT_P4D));
	assert_int_equal(ly.arch->shift(&ly, PT_PGD), 48);
	assert_int_equal(ly.arch->shift(&ly, PT_P4D), 39);
	/* a p4d table entry names its bits as the other levels' do */
	pt_decode(&ly, PT_P4D, 0x080000004398c003ull, &d);
	assert_int_equal(d.state, PT_STATE_TABLE);
	assert_int_equal(d.unknown, 0);
}

/* Every named value belongs to a field row and fits in it, once. */
static void field_values_belong_to_fields(void **state)
{
	const struct pt_arch *const *all;
	struct pt_layout ly;
	size_t nr, a, i, k;

	(void)state;
	all = pt_arch_all(&nr);
	for (a = 0; a < nr; a++) {
		pt_layout_init(&ly, all[a], 0);
		for (i = 0; i < ly.nr_values; i++) {
			const struct pt_value *v = &ly.values[i];
			const struct pt_bit *r = pt_layout_row(&ly, v->field);

			if (!r || !(r->flags & PT_BIT_FIELD))
				fail_msg("%s: value %s of no field %s", all[a]->name,
					 v->name, v->field);
			assert_true(v->value <= pt_row_value(r, r->mask));
			assert_true(v->abbr[0] && v->desc[0] && strlen(v->abbr) < 8);
			for (k = i + 1; k < ly.nr_values; k++)
				if (!strcmp(ly.values[k].field, v->field) &&
				    (ly.values[k].value == v->value ||
				     !strcmp(ly.values[k].name, v->name)))
					fail_msg("%s: %s twice", v->field, v->name);
		}
	}
}

/*
 * arm64's PTE_ATTRINDX by the MAIR slot's name (memory.h: MT_NORMAL 0 ..
 * MT_DEVICE_nGnRE 4, at 6.1 and 6.12), SH by its meaning; a value with no
 * name is its number, shown even when no name says what it is.
 */
static void arm64_fields_are_named_unknown_values_are_numbers(void **state)
{
	static const char *const mt[8] = {
		"MT_NORMAL", "MT_NORMAL_TAGGED", "MT_NORMAL_NC",
		"MT_DEVICE_nGnRnE", "MT_DEVICE_nGnRE", "5", "6", "7",
	};
	static const char *const sh[4] = {
		"non_shareable", "1", "outer_shareable", "inner_shareable",
	};
	const struct pt_bit *ai, *shr;
	struct pt_layout ly;
	uint64_t raw;
	char buf[32];
	unsigned int i;

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	ai = pt_layout_row(&ly, "attrindx");
	shr = pt_layout_row(&ly, "shareability");
	for (i = 0; i < 8; i++) {
		raw = 0x0068000000001403ull | (uint64_t)i << 2;
		assert_string_equal(pt_field_text(&ly, ai, raw, false, buf, sizeof(buf)), mt[i]);
		/* MT_NORMAL is 0 and still shown; 5-7 shown as numbers */
		assert_true(pt_row_shown(&ly, ai, raw));
	}
	assert_string_equal(pt_field_text(&ly, ai, 0x10, true, buf, sizeof(buf)), "nGnRE");
	for (i = 0; i < 4; i++) {
		raw = 0x0068000000001003ull | (uint64_t)i << 8;
		assert_string_equal(pt_field_text(&ly, shr, raw, false, buf, sizeof(buf)), sh[i]);
		assert_true(pt_row_shown(&ly, shr, raw));
	}
	/* x86's pkey has no names: pkey=N, and 0 is not shown */
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	ai = pt_layout_row(&ly, "pkey");
	assert_false(pt_row_shown(&ly, ai, 0x67));
	assert_string_equal(pt_field_text(&ly, ai, 0x67 | 5ull << 59, false, buf, sizeof(buf)), "5");
}

/*
 * The kernel's own formulas (asm/pgtable.h:75-85 at 6.12, 4K granule):
 * __phys_to_pte_val(phys) = (phys | phys >> 42) & GENMASK(49, 8) with
 * LPA2, phys itself without; pte_pfn() = __pte_to_phys() >> PAGE_SHIFT.
 */
static uint64_t lpa2_phys_to_pte(uint64_t phys)
{
	return (phys | phys >> 42) & 0x0003ffffffffff00ull;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void arm64_lpa2_pfn_round_trips_the_kernel_formula(void **state)
{
	uint64_t seed = (uint64_t)time(NULL) | 1, s = seed;
	/* valid page, MT_NORMAL, user, af, ng, write, pxn, uxn, dirty */
	const uint64_t flags = 0x00e8000000000c43ull, blk = 0x00e8000000000c41ull;
	struct pt_layout ly, ly48;
	struct pt_decoded d;
	uint64_t phys;
	int i;

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	pt_layout_set_la57(&ly, true);
	pt_layout_init(&ly48, &pt_arch_arm64, PT_KV(6, 12));
	for (i = 0; i < 10000; i++) {
		/* 52-bit physical addresses, OA[51:50] set on most */
		phys = xorshift(&s) & 0x000ffffffffff000ull;
		pt_decode(&ly, PT_PTE, lpa2_phys_to_pte(phys) | flags, &d);
		if (d.state != PT_STATE_LEAF || d.pfn != phys >> 12 || d.unknown)
			fail_msg("seed %" PRIu64 ": pte of 0x%" PRIx64 ": pfn 0x%" PRIx64
				 " unknown 0x%" PRIx64, seed, phys, d.pfn, d.unknown);
		/* a pmd block: pmd_pfn() keeps OA[51:50], drops bits 12-20 */
		pt_decode(&ly, PT_PMD, lpa2_phys_to_pte(phys) | blk, &d);
		if (d.pfn != (phys & ~0x1fffffull) >> 12)
			fail_msg("seed %" PRIu64 ": pmd of 0x%" PRIx64 ": pfn 0x%" PRIx64,
				 seed, phys, d.pfn);
		/* a table entry's next table, as __pmd_to_phys() */
		pt_decode(&ly, PT_PMD, lpa2_phys_to_pte(phys) | 3, &d);
		if (d.state != PT_STATE_TABLE || d.pfn != phys >> 12)
			fail_msg("seed %" PRIu64 ": table of 0x%" PRIx64, seed, phys);
		/* without LPA2: 48-bit addresses in place, SH in bits 9:8 */
		phys &= 0x0000fffffffff000ull;
		pt_decode(&ly48, PT_PTE, phys | flags | 0x300, &d);
		if (d.pfn != phys >> 12 || d.unknown)
			fail_msg("seed %" PRIu64 ": 48-bit pte of 0x%" PRIx64, seed, phys);
	}
	/* with LPA2 bits 9:8 are no shareability: the row applies nowhere */
	assert_false(pt_row_applies(pt_layout_row(&ly, "shareability"), PT_PTE, PT_STATE_LEAF));
	assert_true(pt_row_applies(pt_layout_row(&ly48, "shareability"), PT_PTE, PT_STATE_LEAF));
}

/*
 * A contiguous run is 16 raw ptes, each its own 4 KiB leaf with PTE_CONT:
 * nothing merges them into one 64 KiB entry.
 */
static void arm64_cont_pte_is_one_page_with_its_cont_bit(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;
	uint64_t raw = 0x00f8000041230f43ull;	/* PTE_CONT: bit 52 */

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	pt_decode(&ly, PT_PTE, raw, &d);
	assert_int_equal(d.state, PT_STATE_LEAF);
	assert_int_equal(d.size, 4096);
	assert_int_equal(d.pfn, 0x41230);
	assert_int_equal(pt_row_value(pt_layout_row(&ly, "cont"), raw), 1);
	assert_int_equal(d.unknown, 0);
}

/* The lab's change line names a field's values, as the grid does. */
static void arm64_change_line_names_field_values(void **state)
{
	struct pt_lab_change c = { .who = PT_WHO_PARENT, .level = PT_PTE,
				   .what = "attrindx", .before = 0, .after = 4 };
	struct pt_layout ly;
	char buf[128];

	(void)state;
	pt_layout_init(&ly, &pt_arch_arm64, PT_KV(6, 12));
	pt_report_lab_change(&ly, &c, buf, sizeof(buf));
	assert_string_equal(buf, "parent pte attrindx MT_NORMAL->MT_DEVICE_nGnRE");
	c.after = 6;
	pt_report_lab_change(&ly, &c, buf, sizeof(buf));
	assert_string_equal(buf, "parent pte attrindx MT_NORMAL->6");
	/* a bit stays 0/1 */
	c.what = "write";
	c.before = 1;
	c.after = 0;
	pt_report_lab_change(&ly, &c, buf, sizeof(buf));
	assert_string_equal(buf, "parent pte write 1->0");
}

static void kernel_release_parses(void **state)
{
	(void)state;
	assert_int_equal(pt_kver_parse("6.12.117+deb12-cloud-amd64"), PT_KV(6, 12));
	assert_int_equal(pt_kver_parse("6.1.0-56-cloud-amd64"), PT_KV(6, 1));
	assert_int_equal(pt_kver_parse("garbage"), 0);
	assert_int_equal(pt_kver_parse("999.1"), 0);
	assert_int_equal(pt_kver_parse(NULL), 0);
}

static void module_layout_overrides_and_adds(void **state)
{
	struct pt_layout ly;
	struct pt_decoded d;

	(void)state;
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	assert_int_equal(pt_layout_set_bit(&ly, "devmap", PT_L_ALL, 1ull << 57), 0);
	assert_string_equal(ly.kmod_diff, "");
	assert_int_equal(pt_layout_set_bit(&ly, "saved_dirty", PT_L_ALL, 1ull << 52), 0);
	assert_non_null(strstr(ly.kmod_diff, "saved_dirty"));
	assert_int_equal(pt_layout_row(&ly, "saved_dirty")->mask, 1ull << 52);
	assert_int_equal(pt_layout_set_bit(&ly, "new_bit", PT_L(PT_PTE), 1ull << 54), 0);
	pt_decode(&ly, PT_PTE, (1ull << 54) | (1ull << 52) | 0x1025, &d);
	assert_int_equal(d.unknown, 0);
	assert_true(d.sum.dirty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_rows_are_disjoint_and_named),
		cmocka_unit_test(x86_fixed_json_keys_exist),
		cmocka_unit_test(x86_devmap_and_saved_dirty_move_between_kernels),
		cmocka_unit_test(x86_pmd_after_fork_is_dirty_through_saved_dirty),
		cmocka_unit_test(x86_bit7_is_pat_at_pte_and_pse_above),
		cmocka_unit_test(x86_unknown_bit_is_kept),
		cmocka_unit_test(x86_swap_and_migration_entries),
		cmocka_unit_test(x86_prot_none_pfn_is_inverted),
		cmocka_unit_test(x86_none_entry),
		cmocka_unit_test(arm64_write_and_dirty_follow_helpers),
		cmocka_unit_test(arm64_block_and_bit58_by_kernel),
		cmocka_unit_test(arm64_five_levels_show_the_p4d),
		cmocka_unit_test(field_values_belong_to_fields),
		cmocka_unit_test(arm64_fields_are_named_unknown_values_are_numbers),
		cmocka_unit_test(arm64_lpa2_pfn_round_trips_the_kernel_formula),
		cmocka_unit_test(arm64_cont_pte_is_one_page_with_its_cont_bit),
		cmocka_unit_test(arm64_change_line_names_field_values),
		cmocka_unit_test(kernel_release_parses),
		cmocka_unit_test(module_layout_overrides_and_adds),
	};

	PT_RUN_TESTS("layout", tests);
}
