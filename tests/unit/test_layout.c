// SPDX-License-Identifier: GPL-2.0
/* The decoder's tables: invariants, and entries decoded as the kernel does. */
#include <ctype.h>
#include <string.h>

#include "tap.h"

#include "layout.h"

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
		assert_true(r->shapes && !(r->shapes & ~PT_SHAPE_ANY));
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
			ly.la57 = true;
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
	ly.la57 = true;
	assert_true(ly.arch->levels(&ly) & PT_L(PT_P4D));
	assert_int_equal(ly.arch->shift(&ly, PT_PGD), 48);
	assert_int_equal(ly.arch->shift(&ly, PT_P4D), 39);
	/* a p4d table entry names its bits as the other levels' do */
	pt_decode(&ly, PT_P4D, 0x080000004398c003ull, &d);
	assert_int_equal(d.state, PT_STATE_TABLE);
	assert_int_equal(d.unknown, 0);
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
		cmocka_unit_test(kernel_release_parses),
		cmocka_unit_test(module_layout_overrides_and_adds),
	};

	PT_RUN_TESTS("layout", tests);
}
