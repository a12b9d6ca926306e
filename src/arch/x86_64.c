// SPDX-License-Identifier: GPL-2.0
/*
 * x86_64 page-table entries, from arch/x86/include/asm/pgtable_types.h and
 * pgtable_64.h (swap encoding).  The kernel's own names are in the
 * descriptions; where a bit's meaning moved between kernels there is one
 * row per meaning, each with its version range.
 */
#include "../layout.h"

#define B(n) (1ull << (n))
#define L_ALL PT_L_ALL
#define L_PTE PT_L(PT_PTE)
#define L_HUGE PT_L_HUGE
#define L_LEAFY (PT_L_HUGE | PT_L(PT_PTE))
#define S_PRES (PT_SHAPE_TABLE | PT_SHAPE_PRESENT)
#define S_LEAF PT_SHAPE_PRESENT
#define S_SWP PT_SHAPE_NONPRESENT

#define X86_PHYS_MASK 0x000ffffffffff000ull	/* __PHYSICAL_MASK, bits 12-51 */
#define X86_PMD_PFN_MASK 0x000fffffffe00000ull	/* bits 21-51 */
#define X86_PUD_PFN_MASK 0x000fffffc0000000ull	/* bits 30-51 */

enum {
	X86_P = 0, X86_RW = 1, X86_PSE = 7, X86_PROTNONE = 8,
	X86_SWP_TYPE_BITS = 5,
	X86_SWP_OFFSET_FIRST = 9,	/* _PAGE_BIT_PROTNONE + 1 */
};

static const struct pt_bit x86_64_bits[] = {
	{ L_ALL, S_PRES, B(0), "present", "P", "_PAGE_PRESENT: the MMU may use the entry", 0, 0, 0 },
	{ L_ALL, S_PRES, B(1), "write", "W", "_PAGE_RW: writes allowed", 0, 0, 0 },
	{ L_ALL, S_PRES, B(2), "user", "U", "_PAGE_USER: user mode may access", 0, 0, 0 },
	{ L_ALL, S_PRES, B(3), "pwt", "WT", "_PAGE_PWT: write-through", 0, 0, 0 },
	{ L_ALL, S_PRES, B(4), "pcd", "CD", "_PAGE_PCD: cache disabled", 0, 0, 0 },
	{ L_ALL, S_PRES, B(5), "accessed", "A", "_PAGE_ACCESSED: set by the CPU on access", 0, 0, 0 },
	{ L_ALL, S_PRES, B(6), "dirty", "D", "_PAGE_DIRTY: set by the CPU on write (leaf)", 0, 0, 0 },
	{ L_HUGE, S_PRES, B(7), "huge", "H", "_PAGE_PSE: the entry maps a 2M/1G page itself", 0, 0, 0 },
	{ L_PTE, S_PRES, B(7), "pat", "PAT", "_PAGE_PAT: page attribute table index bit (4K)", 0, 0, 0 },
	{ L_ALL, PT_SHAPE_TABLE | PT_SHAPE_LEAF, B(8), "global", "G", "_PAGE_GLOBAL: not flushed on CR3 switch", 0, 0, 0 },
	{ L_LEAFY, PT_SHAPE_PROT_NONE, B(8), "prot_none", "PN", "_PAGE_PROTNONE: present to the kernel, not the MMU (when P is clear)", 0, 0, PT_BIT_SW },
	{ L_ALL, S_PRES, B(9), "special", "S", "_PAGE_SPECIAL (SOFTW1): no struct page to refcount (pfnmap, zero page)", 0, 0, PT_BIT_SW },
	{ L_ALL, S_PRES, B(10), "uffd_wp", "uw", "_PAGE_UFFD_WP (SOFTW2): userfaultfd write-protected", 0, 0, PT_BIT_SW },
	{ L_ALL, S_PRES, B(11), "soft_dirty", "sd", "_PAGE_SOFT_DIRTY (SOFTW3): written since clear_refs", 0, 0, PT_BIT_SW },
	{ L_HUGE, PT_SHAPE_PRESENT, B(12), "pat_large", "PATL", "_PAGE_PAT_LARGE: PAT bit of a 2M/1G page", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(58), "devmap", "dm", "_PAGE_DEVMAP (SOFTW4 = 58): ZONE_DEVICE page", 0, PT_KV(6, 6), PT_BIT_SW },
	{ L_LEAFY, S_LEAF, B(57), "devmap", "dm", "_PAGE_DEVMAP (SOFTW4 = 57): ZONE_DEVICE page", PT_KV(6, 6), PT_KV(6, 17), PT_BIT_SW },
	{ L_LEAFY, S_LEAF, B(58), "saved_dirty", "SD", "_PAGE_SAVED_DIRTY (SOFTW5): Dirty moved aside by pxx_wrprotect() so that Write=0,Dirty=1 never reads as shadow stack", PT_KV(6, 6), 0, PT_BIT_SW },
	{ PT_L(PT_PGD), PT_SHAPE_TABLE, B(58), "noptishadow", "nopti", "_PAGE_NOPTISHADOW (SOFTW5): root entry not mirrored into the PTI user page table", PT_KV(6, 12), 0, PT_BIT_SW },
	{ L_LEAFY, S_LEAF, 0xfull << 59, "pkey", "pkey", "_PAGE_PKEY_BIT0..3: memory protection key", 0, 0, PT_BIT_FIELD },
	{ L_ALL, S_PRES, B(63), "nx", "NX", "_PAGE_NX: no instruction fetch", 0, 0, 0 },
	/* non-present entries: swap, migration, markers (pgtable_64.h) */
	{ L_LEAFY, S_SWP, B(1), "swp_soft_dirty", "sd", "_PAGE_SWP_SOFT_DIRTY: soft-dirty kept in a swap entry", 0, 0, PT_BIT_SW },
	{ L_LEAFY, S_SWP, B(2), "swp_uffd_wp", "uw", "_PAGE_SWP_UFFD_WP: uffd-wp kept in a swap entry", 0, 0, PT_BIT_SW },
	{ L_LEAFY, S_SWP, B(3), "swp_exclusive", "E", "_PAGE_SWP_EXCLUSIVE: PG_anon_exclusive kept in a swap entry", 0, 0, PT_BIT_SW },
};

static unsigned int x86_64_levels(const struct pt_layout *ly)
{
	unsigned int l = PT_L_ALL;

	/* without LA57 the p4d level is folded into the pgd */
	if (!ly->la57)
		l &= ~PT_L(PT_P4D);
	return l;
}

static unsigned int x86_64_shift(const struct pt_layout *ly, enum pt_level l)
{
	static const unsigned int shifts[PT_NR_LEVELS] = { 39, 39, 30, 21, 12 };

	if (l == PT_PGD && ly->la57)
		return 48;
	return shifts[l];
}

static enum pt_state x86_64_state(const struct pt_layout *ly, enum pt_level l,
				  uint64_t raw)
{
	if (!raw)
		return PT_STATE_NONE;
	if (raw & B(X86_P)) {
		if (l == PT_PTE || ((PT_L(l) & PT_L_HUGE) && (raw & B(X86_PSE))))
			return PT_STATE_LEAF;
		return PT_STATE_TABLE;
	}
	if (l == PT_PGD || l == PT_P4D)
		return PT_STATE_INVALID;
	/* pte_present()/pmd_present(): PROTNONE; a huge pmd being split
	 * keeps PSE with P cleared (pmdp_invalidate) */
	if (raw & B(X86_PROTNONE))
		return PT_STATE_PROT_NONE;
	if (l != PT_PTE && (raw & B(X86_PSE)))
		return PT_STATE_INVALID;
	return pt_swp_state(ly, raw >> (64 - X86_SWP_TYPE_BITS));
}

static uint64_t x86_64_pfn_mask(const struct pt_layout *ly, enum pt_level l,
				enum pt_state st)
{
	(void)ly;
	if (st == PT_STATE_TABLE)
		return X86_PHYS_MASK;
	if (st != PT_STATE_LEAF && st != PT_STATE_PROT_NONE &&
	    st != PT_STATE_INVALID)
		return 0;
	if (l == PT_PMD)
		return X86_PMD_PFN_MASK;
	if (l == PT_PUD)
		return X86_PUD_PFN_MASK;
	return X86_PHYS_MASK;
}

static uint64_t x86_64_pfn(const struct pt_layout *ly, enum pt_level l,
			   enum pt_state st, uint64_t raw)
{
	/* non-present entries keep their PFN inverted against L1TF
	 * (__pte_needs_invert(), protnone_mask()) */
	if (st == PT_STATE_PROT_NONE || st == PT_STATE_INVALID)
		raw = ~raw;
	return (raw & x86_64_pfn_mask(ly, l, st)) >> 12;
}

static void x86_64_swp(const struct pt_layout *ly, uint64_t raw,
		       unsigned int *type, uint64_t *offset)
{
	(void)ly;
	/* __swp_type() and __swp_offset(): the offset is stored inverted */
	*type = raw >> (64 - X86_SWP_TYPE_BITS);
	*offset = (~raw << X86_SWP_TYPE_BITS) >>
		  (X86_SWP_OFFSET_FIRST + X86_SWP_TYPE_BITS);
}

static uint64_t x86_64_swp_mask(const struct pt_layout *ly)
{
	(void)ly;
	return ~0ull << X86_SWP_OFFSET_FIRST;
}

static void x86_64_summary(const struct pt_layout *ly, enum pt_level l,
			   enum pt_state st, uint64_t raw, struct pt_summary *s)
{
	const struct pt_bit *sd = pt_layout_row(ly, "saved_dirty");
	bool swp = pt_state_shape(st) == PT_SHAPE_NONPRESENT;

	s->present = st == PT_STATE_LEAF || st == PT_STATE_PROT_NONE ||
		     st == PT_STATE_INVALID || st == PT_STATE_TABLE;
	if (swp) {
		s->soft_dirty = raw & B(1);
		s->uffd_wp = raw & B(2);
		s->exclusive = raw & B(3);
		return;
	}
	s->write = raw & B(X86_RW);
	/* pte_dirty(): _PAGE_DIRTY_BITS = Dirty | SavedDirty */
	s->dirty = (raw & B(6)) || (sd && (raw & sd->mask));
	s->young = raw & B(5);
	s->huge = l != PT_PTE && (raw & B(X86_PSE));
	s->special = raw & B(9);
	s->uffd_wp = raw & B(10);
	s->soft_dirty = raw & B(11);
}

const struct pt_arch pt_arch_x86_64 = {
	.name = "x86_64",
	.bits = x86_64_bits,
	.nr_bits = sizeof(x86_64_bits) / sizeof(x86_64_bits[0]),
	.levels = x86_64_levels,
	.shift = x86_64_shift,
	.state = x86_64_state,
	.pfn_mask = x86_64_pfn_mask,
	.pfn = x86_64_pfn,
	.swp = x86_64_swp,
	.swp_mask = x86_64_swp_mask,
	.summary = x86_64_summary,
};
