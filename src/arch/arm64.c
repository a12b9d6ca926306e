// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 page-table entries with the 4K granule: 48-bit virtual addresses
 * on 4 levels, p4d folded (Debian's 6.1), or 52-bit with LPA2 on 5 levels
 * when the CPU has it (Debian's 6.12, CONFIG_PGTABLE_LEVELS=5; the
 * module's layout says "levels 5"), from
 * arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h and pgtable.h.
 */
#include <string.h>

#include "../layout.h"

#define B(n) (1ull << (n))
#define L_ALL PT_L_ALL
#define L_PTE PT_L(PT_PTE)
#define L_TBL (PT_L(PT_PGD) | PT_L(PT_P4D) | PT_L(PT_PUD) | PT_L(PT_PMD))
#define L_LEAFY (PT_L_HUGE | PT_L(PT_PTE))
#define S_LEAF PT_SHAPE_PRESENT
#define S_SWP PT_SHAPE_NONPRESENT

#define ARM64_OA_MASK 0x0000fffffffff000ull	/* output address, bits 12-47 */
/*
 * With LPA2 (FEAT_LPA2, 4K granule, 6.9 on: pgtable-hwdef.h:174-183 at
 * 6.12) the output address is bits 12-49 (PTE_ADDR_LOW) and OA[51:50]
 * sits in bits 9:8 (PTE_ADDR_HIGH, shifted up by PTE_ADDR_HIGH_SHIFT 42),
 * where shareability was: it moves to TCR (PTE_MAYBE_SHARED is 0,
 * pgtable-prot.h:88).  The kernel turns LPA2 on exactly when it runs 52-bit
 * VAs on 5 levels (early_map_kernel(), arch/arm64/kernel/pi/map_kernel.c:
 * 236-241, 260-261), which the module's layout says as "levels 5".
 */
#define ARM64_LPA2_OA_LOW 0x0003fffffffff000ull
#define ARM64_LPA2_OA_HIGH 0x0000000000000300ull
#define ARM64_LPA2_HIGH_SHIFT 42
#define ARM64_PMD_OFF 0x1fffffull
#define ARM64_PUD_OFF 0x3fffffffull

static const struct pt_bit arm64_bits[] = {
	{ L_ALL, PT_SHAPE_TABLE | S_LEAF, B(0), "valid", "V", "PTE_VALID: the MMU may use the entry", 0, 0, 0 },
	{ L_TBL, PT_SHAPE_TABLE | S_LEAF, B(1), "table", "T", "PMD_TYPE_TABLE: 1 table, 0 block (a huge leaf)", 0, 0, 0 },
	{ L_PTE, S_LEAF, B(1), "page", "pg", "PTE_TYPE_PAGE: must be 1 in a valid pte", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, 0x7ull << 2, "attrindx", "AI", "PTE_ATTRINDX: MAIR index (memory type)", 0, 0, PT_BIT_FIELD },
	{ L_LEAFY, S_LEAF, B(5), "ns", "NS", "PTE_NS: non-secure", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(6), "user", "U", "PTE_USER (AP[1]): EL0 may access", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(7), "rdonly", "RO", "PTE_RDONLY (AP[2]): read-only to the MMU", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, 0x3ull << 8, "shareability", "SH", "PTE_SHARED: shareability field", 0, 0, PT_BIT_FIELD },
	{ L_LEAFY, S_LEAF, B(10), "af", "AF", "PTE_AF: access flag (pte_young())", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(11), "ng", "nG", "PTE_NG: not global", 0, PT_KV(6, 10), 0 },
	{ L_LEAFY, PT_SHAPE_LEAF, B(11), "ng", "nG", "PTE_NG: not global", PT_KV(6, 10), 0, 0 },
	{ L_LEAFY, PT_SHAPE_PROT_NONE, B(11), "present_invalid", "PI", "PTE_PRESENT_INVALID (nG when !valid): present to the kernel only", PT_KV(6, 10), 0, PT_BIT_SW },
	{ L_LEAFY, S_LEAF, B(50), "gp", "GP", "PTE_GP: BTI guarded page", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(51), "write", "W", "PTE_WRITE = PTE_DBM: hardware dirty-bit management, the kernel's write bit", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(52), "cont", "C", "PTE_CONT: one of a contiguous run", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(53), "pxn", "PXN", "PTE_PXN: no execute at EL1", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(54), "uxn", "UXN", "PTE_UXN: no execute at EL0", 0, 0, 0 },
	{ L_LEAFY, S_LEAF, B(55), "dirty", "D", "PTE_DIRTY: software dirty", 0, 0, PT_BIT_SW },
	{ L_LEAFY, S_LEAF, B(56), "special", "S", "PTE_SPECIAL: no struct page to refcount", 0, 0, PT_BIT_SW },
	{ L_LEAFY, S_LEAF, B(57), "devmap", "dm", "PTE_DEVMAP: ZONE_DEVICE page", 0, PT_KV(6, 17), PT_BIT_SW },
	{ L_LEAFY, PT_SHAPE_PROT_NONE, B(58), "prot_none", "PN", "PTE_PROT_NONE: present to the kernel only (when !valid)", 0, PT_KV(6, 10), PT_BIT_SW },
	{ L_LEAFY, S_LEAF, B(58), "uffd_wp", "uw", "PTE_UFFD_WP: userfaultfd write-protected", PT_KV(6, 10), 0, PT_BIT_SW },
	/*
	 * FEAT_HAFT's access flag of a table entry: pmd_populate() and the
	 * other populate helpers set it (PxD_TABLE_AF, "Ignored if no
	 * FEAT_HAFT": pgtable-hwdef.h:107-139 and pgalloc.h:31/113 at 6.18.2
	 * and 7.1.5; absent at 6.12.118, 6.13-6.17 not read)
	 */
	{ L_TBL, PT_SHAPE_TABLE, B(10), "table_af", "AFT", "PMD_TABLE_AF: access flag of the table (FEAT_HAFT; set when the table is installed)", PT_KV(6, 18), 0, 0 },
	{ L_TBL, PT_SHAPE_TABLE, B(59), "pxntable", "PXNT", "PMD_TABLE_PXN: no EL1 execute below", 0, 0, 0 },
	{ L_TBL, PT_SHAPE_TABLE, B(60), "uxntable", "UXNT", "PMD_TABLE_UXN: no EL0 execute below", 0, 0, 0 },
	{ L_TBL, PT_SHAPE_TABLE, 0x3ull << 61, "aptable", "APT", "APTable: access limits below", 0, 0, PT_BIT_FIELD },
	{ L_TBL, PT_SHAPE_TABLE, B(63), "nstable", "NST", "NSTable", 0, 0, 0 },
	{ L_LEAFY, S_SWP, B(2), "swp_exclusive", "E", "PTE_SWP_EXCLUSIVE: PG_anon_exclusive kept in a swap entry", 0, 0, PT_BIT_SW },
	{ L_LEAFY, S_SWP, B(3), "swp_uffd_wp", "uw", "PTE_SWP_UFFD_WP: uffd-wp kept in a swap entry", PT_KV(6, 10), 0, PT_BIT_SW },
};

/*
 * The MAIR slots Linux programs (arch/arm64/include/asm/memory.h: 6.1
 * lines 140-144, 6.12 lines 172-176, the same numbers), the module's
 * layout overrides them with the running kernel's ("mt MT_NORMAL 0");
 * SH[1:0] and APTable[1:0] as the Arm ARM encodes them (01 is reserved
 * for SH: shown as its number).
 */
static const struct pt_value arm64_values[] = {
	{ "attrindx", 0, "MT_NORMAL", "NORM", "normal memory, write-back cacheable" },
	{ "attrindx", 1, "MT_NORMAL_TAGGED", "TAG", "normal memory with MTE tags" },
	{ "attrindx", 2, "MT_NORMAL_NC", "NC", "normal memory, non-cacheable (pgprot_writecombine())" },
	{ "attrindx", 3, "MT_DEVICE_nGnRnE", "nGnRnE", "device memory, strongly ordered (pgprot_noncached())" },
	{ "attrindx", 4, "MT_DEVICE_nGnRE", "nGnRE", "device memory, early write acknowledgement (pgprot_device())" },
	{ "shareability", 0, "non_shareable", "NSH", "SH 00: non-shareable" },
	{ "shareability", 2, "outer_shareable", "OSH", "SH 10: outer shareable" },
	{ "shareability", 3, "inner_shareable", "ISH", "SH 11: inner shareable (PTE_SHARED)" },
	{ "aptable", 1, "no_el0", "nE0", "APTable 01: no EL0 access below" },
	{ "aptable", 2, "rdonly", "RO", "APTable 10: no write below" },
	{ "aptable", 3, "rdonly_no_el0", "ROn", "APTable 11: no write, no EL0 access below" },
};

/* With LPA2 (5 levels) bits 9:8 of a leaf are OA[51:50], not SH. */
static void arm64_adjust(struct pt_layout *ly)
{
	size_t i;

	for (i = 0; i < ly->nr_rows; i++)
		if (!strcmp(ly->rows[i].name, "shareability"))
			ly->rows[i].shapes = ly->la57 ? 0 : S_LEAF;
}

/* the p4d level is used only with 5 levels (pgtable_l5_enabled()) */
static unsigned int arm64_levels(const struct pt_layout *ly)
{
	unsigned int l = PT_L_ALL;

	if (!ly->la57)
		l &= ~PT_L(PT_P4D);
	return l;
}

static unsigned int arm64_shift(const struct pt_layout *ly, enum pt_level l)
{
	static const unsigned int shifts[PT_NR_LEVELS] = { 39, 39, 30, 21, 12 };

	if (l == PT_PGD && ly->la57)
		return 48;
	return shifts[l];
}

/* 6.10 moved the swap type from bits 3-7 to 6-10 (and offset 8 -> 12). */
static unsigned int arm64_swp_type_shift(const struct pt_layout *ly)
{
	return ly->kver && ly->kver < PT_KV(6, 10) ? 3 : 6;
}

static unsigned int arm64_swp_offset_shift(const struct pt_layout *ly)
{
	return ly->kver && ly->kver < PT_KV(6, 10) ? 8 : 12;
}

static enum pt_state arm64_state(const struct pt_layout *ly, enum pt_level l,
				 uint64_t raw)
{
	unsigned int type;

	if (!raw)
		return PT_STATE_NONE;
	if (raw & B(0)) {
		if (l != PT_PTE && (raw & B(1)))
			return PT_STATE_TABLE;
		return PT_STATE_LEAF;
	}
	if (l == PT_PGD)
		return PT_STATE_INVALID;
	if (ly->kver && ly->kver < PT_KV(6, 10) ? (raw & B(58)) : (raw & B(11)))
		return PT_STATE_PROT_NONE;
	type = (raw >> arm64_swp_type_shift(ly)) & 0x1f;
	return pt_swp_state(ly, type);
}

static uint64_t arm64_pfn_mask(const struct pt_layout *ly, enum pt_level l,
			       enum pt_state st)
{
	uint64_t low = ly->la57 ? ARM64_LPA2_OA_LOW : ARM64_OA_MASK;
	uint64_t high = ly->la57 ? ARM64_LPA2_OA_HIGH : 0;

	if (st == PT_STATE_TABLE)
		return low | high;
	if (st != PT_STATE_LEAF && st != PT_STATE_PROT_NONE)
		return 0;
	/* pmd_pfn(): __pmd_to_phys() & PMD_MASK, the high bits kept */
	if (l == PT_PMD)
		return (low & ~ARM64_PMD_OFF) | high;
	if (l == PT_PUD)
		return (low & ~ARM64_PUD_OFF) | high;
	return low | high;
}

/* __pte_to_phys() (asm/pgtable.h:75-81 at 6.12), shifted to a pfn */
static uint64_t arm64_pfn(const struct pt_layout *ly, enum pt_level l,
			  enum pt_state st, uint64_t raw)
{
	uint64_t v = raw & arm64_pfn_mask(ly, l, st);

	return ((v & ~ARM64_LPA2_OA_HIGH) |
		((v & ARM64_LPA2_OA_HIGH) << ARM64_LPA2_HIGH_SHIFT)) >> 12;
}

static void arm64_swp(const struct pt_layout *ly, uint64_t raw,
		      unsigned int *type, uint64_t *offset)
{
	*type = (raw >> arm64_swp_type_shift(ly)) & 0x1f;
	*offset = (raw >> arm64_swp_offset_shift(ly)) & ((1ull << 50) - 1);
}

static uint64_t arm64_swp_mask(const struct pt_layout *ly)
{
	return (0x1full << arm64_swp_type_shift(ly)) |
	       (((1ull << 50) - 1) << arm64_swp_offset_shift(ly));
}

static void arm64_summary(const struct pt_layout *ly, enum pt_level l,
			  enum pt_state st, uint64_t raw, struct pt_summary *s)
{
	(void)ly;
	s->present = st == PT_STATE_LEAF || st == PT_STATE_PROT_NONE ||
		     st == PT_STATE_TABLE;
	if (pt_state_shape(st) == PT_SHAPE_NONPRESENT) {
		s->exclusive = raw & B(2);
		s->uffd_wp = ly->kver >= PT_KV(6, 10) && (raw & B(3));
		return;
	}
	/* pte_write() is PTE_WRITE (= DBM); pte_dirty() is the software
	 * dirty bit or a hardware-dirtied entry (DBM set, RDONLY clear) */
	s->write = raw & B(51);
	s->dirty = (raw & B(55)) || ((raw & B(51)) && !(raw & B(7)));
	s->young = raw & B(10);
	s->huge = l != PT_PTE && st == PT_STATE_LEAF && !(raw & B(1));
	s->special = raw & B(56);
	s->uffd_wp = ly->kver >= PT_KV(6, 10) && (raw & B(58));
}

const struct pt_arch pt_arch_arm64 = {
	.name = "arm64",
	.bits = arm64_bits,
	.nr_bits = sizeof(arm64_bits) / sizeof(arm64_bits[0]),
	.values = arm64_values,
	.nr_values = sizeof(arm64_values) / sizeof(arm64_values[0]),
	.adjust = arm64_adjust,
	.levels = arm64_levels,
	.shift = arm64_shift,
	.state = arm64_state,
	.pfn_mask = arm64_pfn_mask,
	.pfn = arm64_pfn,
	.swp = arm64_swp,
	.swp_mask = arm64_swp_mask,
	.summary = arm64_summary,
};
