// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump_helper: the raw page-table entries of any task, for ptinspect.
 *
 * debugfs ptdump_helper/layout describes this kernel's page-table geometry
 * and names its bits with the kernel's own macros; ptdump_helper/walk takes
 * a query ("PID ADDR" or "PID START END") per open file and answers with
 * one line per entry.  The format is in man/ptdump_helper.4.  Raw values
 * and user virtual addresses only: no kernel address is ever printed, and
 * decoding is user space's job.  This module maps nothing into user space
 * (the lab's pfnmap device is ptdump_pfnmap, a module of its own).
 *
 * Why the walk is safe.  page_table walkers (walk_page_range(),
 * pte_offset_map()) are not exported, so the entries are read directly,
 * for another task's mm, where interrupts-off alone protects nothing: the
 * TLB-flush IPIs that GUP-fast relies on only reach the CPUs in that mm's
 * cpumask, and natively x86 frees page tables with tlb_remove_page()
 * after that flush (native_tlb_remove_table(), arch/x86/kernel/paravirt.c:62
 * at 6.12), not through an RCU grace period or an IPI to every CPU
 * (tlb_remove_table(): Xen and Hyper-V only).  What keeps the tables
 * alive is:
 * - the target's mmap read lock, held for a whole answer, and walking only
 *   inside VMAs found under it.  Tables above the pte level are freed by
 *   free_pgtables() alone, under the write lock or, once munmap() has
 *   downgraded it, only for addresses no remaining VMA covers (its floor and
 *   ceiling are the neighbours': mm/mmap.c:2349 at 6.1, mm/vma.c:1120 at
 *   6.12).  So pgd and p4d entries met inside a VMA only go from none to a
 *   table and are read once, never re-read.
 * - an interrupts-off section around each pmd-sized piece: the pud is
 *   re-read in it, then the pmd, then the whole pte table, then the pmd once
 *   more; the re-read entry above tells whether what was read still hangs
 *   there.  Two frees happen under the read lock.  6.12 clears a pmd and
 *   frees its pte table in collapse_pte_mapped_thp() and
 *   retract_page_tables() through pte_free_defer(), an RCU callback
 *   (mm/khugepaged.c:1672 and 1776), which an interrupts-off section holds
 *   off.  huge_pmd_unshare() (MADV_DONTNEED of hugetlb) clears a pud whose
 *   pmd table another mm still holds, and that mm may free the table next
 *   with no IPI to this CPU; only an IPI to every CPU after the unshare,
 *   tlb_remove_table_sync_one() (huge_pmd_unshare_flush(), mm/hugetlb.c:7379
 *   at 6.12; older point releases lack it), waits for a section that read
 *   the old pud.  Kbuild tests for it (PTDH_HAVE_HUGETLB_UNSHARE_SYNC);
 *   without it a pmd table a hugetlb VMA may share is not read, and the
 *   answer says so ("unfollowed").  A piece whose entries changed under it
 *   is read again, PTDH_RETRIES times at most.
 * - in a range answer, the ptes of a VMA pagemap walks are read with their
 *   pagemap words under the pte table lock instead (ptdh_read_ptes_locked()
 *   says why), so that each pte's struct page is the one it maps.
 * An answer is bounded (PTDH_OUT_MAX): it stops between pieces when the
 * buffer could not hold one more, or when another task waits for the mmap
 * lock (mmap_lock_is_contended()), and says where with "more ADDR"; user
 * space asks again from there, so the lock is dropped and the VMAs looked
 * up afresh.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/uaccess.h>
#include <linux/userfaultfd_k.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "ptdh_proto.h"

/* one pmd-sized piece: the entries above it, the pmd, its ptes, a vma */
#define PTDH_PIECE_MAX ((PTRS_PER_PTE + 8) * PTDH_LINE_MAX)
/*
 * The answer buffer's first size, one piece and the header: it doubles up
 * to PTDH_OUT_MAX only when an answer needs it (ptdh_room()).  Allocating
 * PTDH_OUT_MAX at once cost every process that opened the walk file 1 MiB
 * cleared by init_on_alloc (Debian's default), more than its whole walk
 * of 256 MiB under TCG, while ptes in runs make most answers a few KiB.
 */
#define PTDH_BUF_MIN SZ_64K
#define PTDH_RETRIES 16

#ifndef PTDH_HAVE_PMDP_GET_LOCKLESS
/*
 * A 64-bit load is single-copy atomic on x86_64 and arm64 (GUP-fast reads
 * pmds so on 6.1); 6.5 added the generic pmdp_get_lockless().
 */
#define pmdp_get_lockless(pmdp) READ_ONCE(*(pmdp))
#endif

#ifdef PTDH_HAVE_HEX_H
/* hex_asc_lo() lives here; kernel.h stopped including it in 7.1 */
#include <linux/hex.h>
#endif

#ifdef PTDH_HAVE_SOFTLEAF
/*
 * 7.1 reads a non-present pte as a softleaf_t and the swapops helpers
 * below are gone (pte_to_pagemap_entry(), fs/proc/task_mmu.c:1960 at 7.1).
 */
#include <linux/leafops.h>
#define ptdh_swp_entry(pte) softleaf_from_pte(pte)
#define ptdh_entry_has_pfn(entry) softleaf_has_pfn(entry)
#define ptdh_entry_pfn(entry) softleaf_to_pfn(entry)
#define ptdh_entry_page(entry) softleaf_to_page(entry)
#define ptdh_entry_migration(entry) softleaf_is_migration(entry)
#define ptdh_entry_uffd_wp_marker(entry) softleaf_is_uffd_wp_marker(entry)
#define ptdh_entry_guard(entry) softleaf_is_guard_marker(entry)
#else
#define ptdh_swp_entry(pte) pte_to_swp_entry(pte)
#define ptdh_entry_has_pfn(entry) is_pfn_swap_entry(entry)
#define ptdh_entry_pfn(entry) swp_offset_pfn(entry)
#define ptdh_entry_page(entry) pfn_swap_entry_to_page(entry)
#define ptdh_entry_migration(entry) is_migration_entry(entry)
#define ptdh_entry_uffd_wp_marker(entry) pte_marker_entry_uffd_wp(entry)
#define ptdh_entry_guard(entry) is_guard_swp_entry(entry)
#endif

/* is_swap_pte() as 6.1 to 6.18 have it */
static inline bool ptdh_pte_is_swap(pte_t pte)
{
	return !pte_none(pte) && !pte_present(pte);
}

/* whether vm_normal_page() asks the VMA for a special pte's page */
static inline bool ptdh_vma_finds_page(struct vm_area_struct *vma)
{
#ifdef PTDH_HAVE_FIND_NORMAL_PAGE
	/*
	 * find_special_page() became find_normal_page() in 6.18, a member
	 * only with CONFIG_FIND_NORMAL_PAGE (include/linux/mm.h:870 at 7.1)
	 */
#ifdef CONFIG_FIND_NORMAL_PAGE
	return vma->vm_ops && vma->vm_ops->find_normal_page;
#else
	return false;
#endif
#else
	return vma->vm_ops && vma->vm_ops->find_special_page;
#endif
}

static struct dentry *ptdh_dir;

/* A name and its mask, as the kernel's ptdump and task_mmu.c tabulate. */
struct ptdh_name {
	const char *name;
	u64 mask;
};

enum ptdh_level { PTDH_PGD, PTDH_P4D, PTDH_PUD, PTDH_PMD, PTDH_PTE, PTDH_NR };

/*
 * A name and its length, in a fixed-size array that ptdh_entry() copies
 * whole: a copy of known size is a few moves, one byte at a time is not.
 */
struct ptdh_tag {
	char s[11];
	u8 len;
};

#define PTDH_TAG(str) { str, sizeof(str) - 1 }

static const struct ptdh_tag ptdh_level_names[PTDH_NR] = {
	PTDH_TAG("pgd"), PTDH_TAG("p4d"), PTDH_TAG("pud"), PTDH_TAG("pmd"),
	PTDH_TAG("pte"),
};

enum ptdh_state { PTDH_NONE, PTDH_TABLE, PTDH_LEAF, PTDH_NONPRESENT, PTDH_BAD };

static const struct ptdh_tag ptdh_state_names[] = {
	[PTDH_NONE] = PTDH_TAG("none"),
	[PTDH_TABLE] = PTDH_TAG("table"),
	[PTDH_LEAF] = PTDH_TAG("leaf"),
	[PTDH_NONPRESENT] = PTDH_TAG("nonpresent"),
	[PTDH_BAD] = PTDH_TAG("bad"),
};

/*
 * The architecture's part, the hook of the generic walk below:
 * - ptdh_bits[]: its bits, named by the kernel's own macros;
 * - ptdh_pgd_offset(): the top-level entry the MMU uses for an address;
 * - ptdh_p4d_folded(): whether the p4d level is folded into the pgd at
 *   run time (both architectures choose 4 or 5 levels at boot);
 * - ptdh_hw_present(): whether the hardware would use an entry;
 * - ptdh_pte_get(): one pte as it is in memory, never a merged view;
 *   ptdh_pte_raw() the same of a pte ptep_get() has read;
 * - ptdh_pte_pfn_mask(): a pte's PFN bits, the layout's pfn_mask pte;
 * - ptdh_arch_layout(): the rest of the layout.
 * The walk itself is the kernel's lockless one (p4d_offset_lockless(),
 * pud_offset_lockless(), pmd_offset_lockless(), pmdp_get_lockless(), as
 * perf_get_pgtable_size() in kernel/events/core.c walks at 6.12).
 */
#ifdef CONFIG_X86_64
#define PTDH_ARCH "x86_64"

static const struct ptdh_name ptdh_bits[] = {
	{ "present", _PAGE_PRESENT },
	{ "write", _PAGE_RW },
	{ "user", _PAGE_USER },
	{ "pwt", _PAGE_PWT },
	{ "pcd", _PAGE_PCD },
	{ "accessed", _PAGE_ACCESSED },
	{ "dirty", _PAGE_DIRTY },
	{ "huge", _PAGE_PSE },
	{ "pat", _PAGE_PAT },
	{ "global", _PAGE_GLOBAL },
	{ "prot_none", _PAGE_PROTNONE },
	{ "special", _PAGE_SPECIAL },
	{ "uffd_wp", _PAGE_UFFD_WP },
	{ "soft_dirty", _PAGE_SOFT_DIRTY },
	{ "pat_large", _PAGE_PAT_LARGE },
#ifdef _PAGE_DEVMAP
	/* gone in 6.17 (d438d2734170): bit 57 is free again from then on */
	{ "devmap", _PAGE_DEVMAP },
#endif
#ifdef _PAGE_SAVED_DIRTY
	{ "saved_dirty", _PAGE_SAVED_DIRTY },
#endif
	{ "pkey", _PAGE_PKEY_MASK },
	{ "nx", _PAGE_NX },
	{ "swp_soft_dirty", _PAGE_SWP_SOFT_DIRTY },
	{ "swp_uffd_wp", _PAGE_SWP_UFFD_WP },
	{ "swp_exclusive", _PAGE_SWP_EXCLUSIVE },
};

/* 6.9 renamed CONFIG_PAGE_TABLE_ISOLATION to CONFIG_MITIGATION_... */
#if defined(CONFIG_PAGE_TABLE_ISOLATION) || \
	defined(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION)
#define PTDH_PTI
#endif

/* whether the walk reads the user copy of the pgd */
static bool ptdh_pti(void)
{
#ifdef PTDH_PTI
	return cpu_feature_enabled(X86_FEATURE_PTI);
#else
	return false;
#endif
}

/*
 * Under page-table isolation user mode runs on the user copy of the pgd;
 * the kernel's copy has NX set in every user entry
 * (__pti_set_user_pgtbl(), arch/x86/mm/pti.c), so the user copy is what
 * the MMU sees for user addresses.  Only the top level is duplicated.
 */
static pgd_t *ptdh_pgd_offset(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgdp = pgd_offset(mm, addr);

#ifdef PTDH_PTI
	if (ptdh_pti())
		pgdp = kernel_to_user_pgdp(pgdp);
#endif
	return pgdp;
}

/* With 4 levels the p4d is the pgd entry itself (pgd_none() is false). */
static bool ptdh_p4d_folded(void)
{
	return !pgtable_l5_enabled();
}

/* present for the MMU: PROT_NONE and pmds being split are not */
static bool ptdh_hw_present(u64 raw)
{
	return raw & _PAGE_PRESENT;
}

static u64 ptdh_pte_get(pte_t *ptep)
{
	return pte_val(ptep_get(ptep));
}

/* ptdh_pte_get() of @ptep, whose ptep_get() was @pte: the same here */
static u64 ptdh_pte_raw(pte_t *ptep, pte_t pte)
{
	return pte_val(pte);
}

static u64 ptdh_pte_pfn_mask(void)
{
	return PTE_PFN_MASK;
}

static void ptdh_arch_layout(struct seq_file *m)
{
	seq_printf(m, "pfn_mask pte %llx\npfn_mask pmd %llx\npfn_mask pud %llx\n",
		   (unsigned long long)PTE_PFN_MASK,
		   (unsigned long long)(PTE_PFN_MASK & PMD_MASK),
		   (unsigned long long)(PTE_PFN_MASK & PUD_MASK));
	seq_printf(m, "pti %d\n", ptdh_pti());
}
#elif defined(CONFIG_ARM64)
#define PTDH_ARCH "arm64"

/* ptinspect decodes the 4 KiB granule: 4 or 5 levels of 512 entries */
#if PAGE_SHIFT != 12 || CONFIG_PGTABLE_LEVELS < 4
#error "ptdump_helper supports arm64 with 4 KiB pages and 4 or 5 levels"
#endif

/*
 * arch/arm64/include/asm/pgtable-hwdef.h and pgtable-prot.h.  A valid
 * pte has both type bits (PTE_TYPE_PAGE); above it bit 1 tells a table
 * (PTE_TABLE_BIT) from a block.  PTE_WRITE is PTE_DBM: the kernel's write
 * permission is the hardware's dirty-bit-management bit, and the hardware
 * marks an entry dirty by clearing PTE_RDONLY.
 */
#ifndef PTE_TABLE_BIT
/* gone in 7.1: bit 1 of PMD_TYPE_TABLE (pgtable-hwdef.h:137 at 7.1) */
#define PTE_TABLE_BIT (PMD_TYPE_TABLE & ~PTE_VALID)
#endif
static const struct ptdh_name ptdh_bits[] = {
	{ "valid", PTE_VALID },
	{ "table", PTE_TABLE_BIT },
	{ "page", PTE_TYPE_PAGE & ~PTE_VALID },
	{ "attrindx", PTE_ATTRINDX_MASK },
	{ "user", PTE_USER },
	{ "rdonly", PTE_RDONLY },
	{ "shareability", PTE_SHARED },
	{ "af", PTE_AF },
	{ "ng", PTE_NG },
#ifdef PTE_PRESENT_INVALID
	{ "present_invalid", PTE_PRESENT_INVALID },
#endif
	{ "gp", PTE_GP },
	{ "write", PTE_WRITE },
	{ "cont", PTE_CONT },
	{ "pxn", PTE_PXN },
	{ "uxn", PTE_UXN },
	{ "dirty", PTE_DIRTY },
	{ "special", PTE_SPECIAL },
#ifdef PTE_DEVMAP
	{ "devmap", PTE_DEVMAP },
#endif
#ifdef PTE_PROT_NONE
	{ "prot_none", PTE_PROT_NONE },
#endif
	/* 0 where the kernel lacks uffd-wp for arm64 (left out below) */
#ifdef PTE_UFFD_WP
	{ "uffd_wp", PTE_UFFD_WP },
#endif
	{ "pxntable", PMD_TABLE_PXN },
	{ "uxntable", PMD_TABLE_UXN },
	{ "swp_exclusive", PTE_SWP_EXCLUSIVE },
#ifdef PTE_SWP_UFFD_WP
	{ "swp_uffd_wp", PTE_SWP_UFFD_WP },
#endif
};

/* TTBR0 holds the task's pgd: nothing is duplicated for user space */
static pgd_t *ptdh_pgd_offset(struct mm_struct *mm, unsigned long addr)
{
	return pgd_offset(mm, addr);
}

/*
 * With CONFIG_PGTABLE_LEVELS=5 (52-bit VAs with LPA2, as Debian's 6.12)
 * the p4d level is used only when the CPU has LPA2; otherwise the pgd
 * page is the p4d table (pgd_to_folded_p4d(), asm/pgtable.h).
 */
static bool ptdh_p4d_folded(void)
{
#if CONFIG_PGTABLE_LEVELS > 4
	return !pgtable_l5_enabled();
#else
	return true;
#endif
}

/* PROT_NONE and pmds being split are present to the kernel only */
static bool ptdh_hw_present(u64 raw)
{
	return raw & PTE_VALID;
}

/*
 * Not ptep_get(): with CONFIG_ARM64_CONTPTE (6.9) it ORs the access and
 * dirty bits of a whole contiguous run into the entry it returns
 * (contpte_ptep_get(), arch/arm64/mm/contpte.c); each raw sub-entry is
 * what is shown.
 */
static u64 ptdh_pte_get(pte_t *ptep)
{
	return pte_val(READ_ONCE(*ptep));
}

/* a contiguous range's ptep_get() folds its access and dirty bits in */
static u64 ptdh_pte_raw(pte_t *ptep, pte_t pte)
{
	return ptdh_pte_get(ptep);
}

/*
 * The output address bits from bit 12 on, which the pfn is (shifted).
 * With LPA2 (6.9) they reach bit 49, bits 8-9 hold OA[51:50] (left out:
 * not a pfn's bits in place) and shareability moves to TCR
 * (PTE_MAYBE_SHARED, asm/pgtable-prot.h).
 */
static u64 ptdh_oa_mask(void)
{
#if defined(PHYS_TO_PTE_ADDR_MASK) && defined(PTE_ADDR_HIGH)
	if (lpa2_is_enabled())
		return PHYS_TO_PTE_ADDR_MASK & PAGE_MASK;
#endif
	return PTE_ADDR_LOW;
}

static u64 ptdh_pte_pfn_mask(void)
{
	return ptdh_oa_mask();
}

/* the MAIR slot, MT_*, a memory type's entries carry in PTE_ATTRINDX */
static u64 ptdh_attrindx(pgprot_t prot)
{
	return FIELD_GET(PTE_ATTRINDX_MASK, pgprot_val(prot));
}

static void ptdh_arch_layout(struct seq_file *m)
{
	/*
	 * The device types through the drivers' own pgprot helpers (the
	 * kernel's names for them are CamelCase, which checkpatch refuses);
	 * arch/arm64/include/asm/memory.h numbers the slots.
	 */
	const struct ptdh_name mt[] = {
		{ "MT_NORMAL", MT_NORMAL },
		{ "MT_NORMAL_TAGGED", ptdh_attrindx(pgprot_tagged(__pgprot(0))) },
		{ "MT_NORMAL_NC", ptdh_attrindx(pgprot_writecombine(__pgprot(0))) },
		{ "MT_DEVICE_nGnRnE", ptdh_attrindx(pgprot_noncached(__pgprot(0))) },
		{ "MT_DEVICE_nGnRE", ptdh_attrindx(pgprot_device(__pgprot(0))) },
	};
	size_t i;

	seq_printf(m, "pfn_mask pte %llx\npfn_mask pmd %llx\npfn_mask pud %llx\n",
		   (unsigned long long)ptdh_oa_mask(),
		   (unsigned long long)(ptdh_oa_mask() & PMD_MASK),
		   (unsigned long long)(ptdh_oa_mask() & PUD_MASK));
	for (i = 0; i < ARRAY_SIZE(mt); i++)
		seq_printf(m, "mt %s %llu\n", mt[i].name,
			   (unsigned long long)mt[i].mask);
}
#else
#error "ptdump_helper supports x86_64 and arm64 only so far"
#endif

/*
 * A pte, or in a range answer a run of ptes (ptdh_read_ptes_locked()),
 * read from a table to be answered once the table is let go.
 */
struct ptdh_ent {
	u64 raw;		/* the first pte's value */
	u64 pm;			/* its pagemap word, or 0 (none computed) */
	u16 idx;		/* the first pte's index from the piece's start */
	u16 count;		/* ptes in the run */
	bool span;		/* a span whose PFNs do not step (protocol 6) */
};

/* One open walk file: the answer to its last query. */
struct ptdh_query {
	struct mutex lock;	/* serialises write and read of @buf */
	char *buf;		/* kvmalloc'd answer, or NULL */
	size_t len;
	size_t cap;		/* PTDH_BUF_MIN, doubled up to PTDH_OUT_MAX */
	bool overflow;
	struct ptdh_ent *ents;	/* one pte table's entries, read at once */
};

static __printf(2, 3) void ptdh_out(struct ptdh_query *q, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (q->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(q->buf + q->len, q->cap - q->len, fmt, ap);
	va_end(ap);
	if (n < 0 || q->len + n >= q->cap) {
		q->overflow = true;
		return;
	}
	q->len += n;
}

/*
 * The last pte line with a pagemap word, which a short line may follow
 * (protocol 5): q->len just after it, the address after its ptes, its
 * last pte's value, word and state.
 */
struct ptdh_chain {
	size_t len;
	unsigned long va;
	u64 raw, pm;
	enum ptdh_state st;
};

/* One query being answered. */
struct ptdh_walk {
	struct ptdh_query *q;
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* the one being walked */
	bool single;			/* one address: every level, empty ones too */
	bool spans;			/* asked for spans (protocol 6) */
	bool pm;			/* pagemap words for this VMA's ptes */
	unsigned long pieces;		/* pmd-sized pieces answered */
	unsigned long nents;		/* entries answered, each of a run */
	unsigned long more;		/* where the answer stopped early */
	unsigned long seen[PTDH_NR];	/* the table entry last printed per level */
	struct ptdh_chain chain;
};

/* The walk stops at an entry boundary; not an error. */
#define PTDH_STOP 1

/*
 * Whether one more piece fits, the buffer grown first if it would not and
 * may grow; a failed allocation only ends this answer earlier.  Called
 * between pieces, where the walk may sleep (the mmap read lock alone).
 */
static bool ptdh_room(struct ptdh_query *q)
{
	size_t cap;
	char *buf;

	if (q->cap - q->len >= PTDH_PIECE_MAX)
		return true;
	if (q->cap >= PTDH_OUT_MAX)
		return false;
	cap = min_t(size_t, 2 * q->cap, PTDH_OUT_MAX);
	buf = kvmalloc(cap, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return false;
	memcpy(buf, q->buf, q->len);
	kvfree(q->buf);
	q->buf = buf;
	q->cap = cap;
	return q->cap - q->len >= PTDH_PIECE_MAX;
}

/*
 * Whether to end the answer before the entry at @addr: when one more piece
 * might not fit, or when a writer waits for the mmap lock and this answer
 * has made progress.
 */
static int ptdh_stop(struct ptdh_walk *w, unsigned long addr)
{
	if (w->nents + PTRS_PER_PTE + PTDH_NR <= PTDH_ENTRIES_MAX &&
	    !(w->pieces && mmap_lock_is_contended(w->mm)) && ptdh_room(w->q))
		return 0;
	w->more = addr;
	return PTDH_STOP;
}

/* @t's name at @p; writes sizeof(t->s) bytes, the next field the rest */
static __always_inline char *ptdh_put_tag(char *p, const struct ptdh_tag *t)
{
	memcpy(p, t->s, sizeof(t->s));
	return p + t->len;
}

/*
 * "00" to "ff" as they lie in memory, two digits a load and a store
 * (filled by ptdh_init()): fewer instructions than spreading nibbles with
 * shifts and masks, and a digit at a time was most of the cost of a range
 * whose PFNs make no runs.
 */
static u16 ptdh_hex2[256] __ro_after_init;

struct ptdh_u16 {
	u16 v;
} __packed;

static __always_inline void ptdh_put_hex2(char *p, u8 byte)
{
	((struct ptdh_u16 *)p)->v = ptdh_hex2[byte];
}

/* @v in hexadecimal, 16 digits wide */
static __always_inline char *ptdh_put_hex16(char *p, u64 v)
{
	ptdh_put_hex2(p, v >> 56);
	ptdh_put_hex2(p + 2, v >> 48);
	ptdh_put_hex2(p + 4, v >> 40);
	ptdh_put_hex2(p + 6, v >> 32);
	ptdh_put_hex2(p + 8, v >> 24);
	ptdh_put_hex2(p + 10, v >> 16);
	ptdh_put_hex2(p + 12, v >> 8);
	ptdh_put_hex2(p + 14, v);
	return p + 16;
}

/*
 * @v in hexadecimal, as wide as it needs, a pair of digits at a time from
 * the last (an address, a count, a short line's step)
 */
static __always_inline char *ptdh_put_hex_narrow(char *p, u64 v)
{
	char *end = p + (v ? (fls64(v) + 3) / 4 : 1), *q = end;

	for (; v > 0xff; v >>= 8) {
		q -= 2;
		ptdh_put_hex2(q, v);
	}
	if (q - p == 2)
		ptdh_put_hex2(p, v);
	else
		*p = ((const char *)&ptdh_hex2[v])[1];
	return end;
}

/*
 * "LEVEL VA RAW STATE\n", as "%s %lx %016llx %s\n" would print it, or with
 * " PM" (%016llx), the pagemap word, and " COUNT" (%x) for a run of
 * @count ptes, and " s" for a @span: a range is mostly these lines or
 * short ones (ptdh_ptes()), and vsnprintf() for each was most of its cost.
 * Each pte line with a word but a span's is remembered for a short line to
 * follow: a span's last pte is not its first plus its length.
 * Names are written whole past their end (11 bytes) and the next field
 * overwrites the rest: two names, four numbers of at most 16 digits, five
 * separators and " s" stay within PTDH_LINE_MAX, which ptdh_init()
 * asserts.
 */
static void ptdh_entry(struct ptdh_walk *w, int l, unsigned long va, u64 raw,
		       enum ptdh_state st, u64 pm, unsigned int count,
		       bool span)
{
	struct ptdh_query *q = w->q;
	char *p;

	if (st == PTDH_TABLE) {
		if (w->seen[l] == va)
			return;
		w->seen[l] = va;
	} else if (st == PTDH_NONE && l == PTDH_PTE && !w->single) {
		return;
	}
	if (q->overflow || q->cap - q->len < PTDH_LINE_MAX) {
		q->overflow = true;
		return;
	}
	p = ptdh_put_tag(q->buf + q->len, &ptdh_level_names[l]);
	*p++ = ' ';
	p = ptdh_put_hex_narrow(p, va);
	*p++ = ' ';
	p = ptdh_put_hex16(p, raw);
	*p++ = ' ';
	p = ptdh_put_tag(p, &ptdh_state_names[st]);
	if (pm) {
		*p++ = ' ';
		p = ptdh_put_hex16(p, pm);
	}
	if (count > 1) {
		*p++ = ' ';
		p = ptdh_put_hex_narrow(p, count);
	}
	if (span) {
		*p++ = ' ';
		*p++ = 's';
	}
	*p++ = '\n';
	q->len = p - q->buf;
	w->nents += count;
	if (l == PTDH_PTE && pm && !span) {
		w->chain = (struct ptdh_chain){
			.len = q->len,
			.va = va + count * PAGE_SIZE,
			.raw = raw + (u64)(count - 1) * PAGE_SIZE,
			.pm = pm + count - 1,
			.st = st,
		};
	}
}

static enum ptdh_state ptdh_pte_state(u64 raw)
{
	if (pte_none(__pte(raw)))
		return PTDH_NONE;
	return ptdh_hw_present(raw) ? PTDH_LEAF : PTDH_NONPRESENT;
}

/*
 * The lines of a piece's @n ptes read into q->ents, @va its first page.
 * A pte that follows the line before is written here as a short line,
 * "+D[ COUNT]\n" or "-D[ COUNT]\n" (protocol 5): the line before is a pte
 * line with a word, nothing was written since, this pte is the next page,
 * its state the same, and its value and word those of the last pte
 * before plus D pages and D (modulo 2^64), as tested here; never a none
 * pte, which a range answer leaves out, nor a span (protocol 6), whose
 * PFNs only its first pte's value gives.  The others go to ptdh_entry().
 * Where PFNs make no runs nearly every pte is a short line, and a call of
 * ptdh_entry() for each, with its tests of level and state, cost more
 * than the line: the chain is held in locals, stored to @w and read back
 * around each call.  The room ptdh_stop() made before the piece holds its
 * lines, but is tested still: where it would not, ptdh_entry() ends the
 * answer.
 */
static void ptdh_ptes(struct ptdh_walk *w, unsigned long va, unsigned int n)
{
	struct ptdh_query *q = w->q;
	const struct ptdh_ent *e = q->ents, *end = e + n;
	struct ptdh_chain c = w->chain;
	size_t len = q->len;
	unsigned long a, nents = 0;
	enum ptdh_state st;
	char *p;
	u64 d;

	for (; e < end; e++) {
		a = va + e->idx * PAGE_SIZE;
		st = ptdh_pte_state(e->raw);
		d = e->pm - c.pm;
		if (!e->pm || st == PTDH_NONE || e->span || len != c.len ||
		    a != c.va || st != c.st || e->raw != c.raw + (d << PAGE_SHIFT) ||
		    q->overflow || q->cap - len < PTDH_LINE_MAX) {
			q->len = len;
			w->nents += nents;
			nents = 0;
			w->chain = c;
			ptdh_entry(w, PTDH_PTE, a, e->raw, st, e->pm, e->count,
				   e->span);
			len = q->len;
			c = w->chain;
			continue;
		}
		p = q->buf + len;
		*p++ = (s64)d < 0 ? '-' : '+';
		p = ptdh_put_hex_narrow(p, (s64)d < 0 ? -d : d);
		if (e->count > 1) {
			*p++ = ' ';
			p = ptdh_put_hex_narrow(p, e->count);
		}
		*p++ = '\n';
		len = p - q->buf;
		nents += e->count;
		c.len = len;
		c.va = a + e->count * PAGE_SIZE;
		c.raw = e->raw + (u64)(e->count - 1) * PAGE_SIZE;
		c.pm = e->pm + e->count - 1;
	}
	q->len = len;
	w->nents += nents;
	w->chain = c;
}

/* pmd_present() is true for a huge pmd being split (PSE, no P) */
static enum ptdh_state ptdh_pmd_state(pmd_t pmd)
{
	if (pmd_none(pmd))
		return PTDH_NONE;
	if (!pmd_present(pmd))
		return PTDH_NONPRESENT;
	if (pmd_leaf(pmd))
		return ptdh_hw_present(pmd_val(pmd)) ? PTDH_LEAF : PTDH_NONPRESENT;
	return pmd_bad(pmd) ? PTDH_BAD : PTDH_TABLE;
}

static enum ptdh_state ptdh_pud_state(pud_t pud)
{
	if (pud_none(pud))
		return PTDH_NONE;
	if (!pud_present(pud))
		return PTDH_NONPRESENT;
	if (pud_leaf(pud))
		return ptdh_hw_present(pud_val(pud)) ? PTDH_LEAF : PTDH_NONPRESENT;
	return pud_bad(pud) ? PTDH_BAD : PTDH_TABLE;
}

/*
 * The pagemap word of a pte, as /proc/PID/pagemap gives it to an opener
 * with CAP_SYS_ADMIN (the walk file's, so the PFN is shown):
 * pte_to_pagemap_entry(), fs/proc/task_mmu.c:1407 at 6.1 and :1713 at
 * 6.12, bits as Documentation/admin-guide/mm/pagemap.rst numbers them.
 * Those bits are what a raw pte lacks: whether the page is mapped once
 * (PM_MMAP_EXCLUSIVE) and whether it is file or shared anonymous memory
 * (PM_FILE) live in its struct page, and the swap type and offset in the
 * architecture's swap encoding.
 */
#define PTDH_PM_PFRAME_MASK GENMASK_ULL(54, 0)
#define PTDH_PM_SOFT_DIRTY BIT_ULL(55)
#define PTDH_PM_MMAP_EXCLUSIVE BIT_ULL(56)
#define PTDH_PM_UFFD_WP BIT_ULL(57)
#define PTDH_PM_FILE BIT_ULL(61)
#define PTDH_PM_SWAP BIT_ULL(62)
#define PTDH_PM_PRESENT BIT_ULL(63)

/*
 * The mapcount pagemap compares with 1 comes from page_mapcount() (6.1)
 * or from page->_mapcount as folio_precise_page_mapcount() reads it
 * (6.12, PTDH_HAVE_PAGE_MAPCOUNT_IS_TYPE): Kbuild tests which.  With
 * neither, entries carry no pagemap word and user space reads pagemap.
 */
#if defined(PTDH_HAVE_PAGE_MAPCOUNT) || defined(PTDH_HAVE_PAGE_MAPCOUNT_IS_TYPE)
#define PTDH_HAVE_PM
#endif

/*
 * Whether pagemap walks this VMA's ptes: walk_page_test() passes a
 * VM_PFNMAP one by as a hole (mm/pagewalk.c), and hugetlb ones have no
 * ptes.  Single-address answers carry no word: user space reads pagemap
 * for the other fields it shows there anyway.
 */
static bool ptdh_pm_vma(struct ptdh_walk *w, struct vm_area_struct *vma)
{
#ifdef PTDH_HAVE_PM
	return !w->single && !(vma->vm_flags & VM_PFNMAP) &&
	       !is_vm_hugetlb_page(vma);
#else
	return false;
#endif
}

#ifdef PTDH_HAVE_PM
/*
 * The mapcount pagemap compares with 1: page_mapcount() at 6.1
 * (task_mmu.c:1453); folio_precise_page_mapcount() at 6.12
 * (task_mmu.c:1761), a helper of fs/proc/internal.h:183 that modules
 * cannot include, so its body is here.
 */
static int ptdh_mapcount(struct folio *folio, struct page *page)
{
#ifdef PTDH_HAVE_PAGE_MAPCOUNT_IS_TYPE
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#else
	return page_mapcount(page);
#endif
}

/* which entries 6.1 (!migration) and 6.12 (present ones) count maps of */
static bool ptdh_pm_excl_tested(u64 flags, bool migration)
{
#ifdef PTDH_HAVE_PAGE_MAPCOUNT_IS_TYPE
	return flags & PTDH_PM_PRESENT;
#else
	return !migration;
#endif
}

/* What ptdh_pte_pm() needs of one pte table's VMA, and what it learnt */
struct ptdh_pm_ctx {
	u64 vma_flags;		/* PTDH_PM_SOFT_DIRTY of VM_SOFTDIRTY */
	bool finds_page;	/* ptdh_vma_finds_page() */
	/*
	 * the first PFNs of two subsections known to have a memmap, the
	 * last one met first; ~0UL for none
	 */
	unsigned long known[2];
};

/*
 * pfn_valid(@pfn), remembered in @c for the rest of its subsection:
 * sparsemem's answer is one for a whole subsection (pfn_valid(),
 * include/linux/mmzone.h), a pte table mostly maps neighbouring PFNs, and
 * the section lookup was a fair share of each pte's cost.  Two of them:
 * where PFNs do not follow each other they often come from two places in
 * turn (pages freed earlier and fresh ones).  @c lives
 * for one pte table under its lock, and each PFN it was seeded from is
 * mapped by a pte read under that lock: a mapped PFN's memmap is not
 * removed (offlining migrates the page off through this lock, a
 * ZONE_DEVICE owner zaps its ptes before memunmap_pages()), which
 * vm_normal_page() and pagemap rely on too.
 */
static bool ptdh_pfn_valid(struct ptdh_pm_ctx *c, unsigned long pfn)
{
#if defined(CONFIG_SPARSEMEM) && !defined(CONFIG_HAVE_ARCH_PFN_VALID)
	unsigned long sub = pfn & PAGE_SUBSECTION_MASK;

	if (sub == c->known[0] || sub == c->known[1])
		return true;
	if (!pfn_valid(pfn))
		return false;
	c->known[1] = c->known[0];
	c->known[0] = sub;
	return true;
#else
	return pfn_valid(pfn);
#endif
}

/*
 * pte_to_pagemap_entry() for @pte of @vma, read under its page
 * table lock; 0 when this cannot tell what pagemap would.
 * vm_normal_page() (mm/memory.c:612 at 6.1, :594 at 6.12) is not
 * exported; with the pte special bit, which x86_64 and arm64 have, it
 * finds no page for a special pte unless the VMA has find_special_page()
 * (left to pagemap here), and pfn_to_page() of the pfn otherwise, once the
 * pfn has a memmap.
 */
static __always_inline u64 ptdh_pte_pm(struct ptdh_pm_ctx *c, pte_t pte)
{
	u64 frame = 0, flags = 0;
	struct page *page = NULL;
	struct folio *folio;
	bool migration = false;

	if (pte_present(pte)) {
		frame = pte_pfn(pte);
		flags |= PTDH_PM_PRESENT;
		if (!pte_special(pte)) {
			if (!ptdh_pfn_valid(c, frame))
				return 0;
			page = pfn_to_page(frame);
		} else if (c->finds_page) {
			return 0;
		}
		if (pte_soft_dirty(pte))
			flags |= PTDH_PM_SOFT_DIRTY;
		if (pte_uffd_wp(pte))
			flags |= PTDH_PM_UFFD_WP;
	} else if (ptdh_pte_is_swap(pte)) {
		swp_entry_t entry;
		pgoff_t offset;

		if (pte_swp_soft_dirty(pte))
			flags |= PTDH_PM_SOFT_DIRTY;
		if (pte_swp_uffd_wp(pte))
			flags |= PTDH_PM_UFFD_WP;
		entry = ptdh_swp_entry(pte);
		if (ptdh_entry_has_pfn(entry))
			offset = ptdh_entry_pfn(entry);
		else
			offset = swp_offset(entry);
		frame = swp_type(entry) | (offset << MAX_SWAPFILES_SHIFT);
		flags |= PTDH_PM_SWAP;
		migration = ptdh_entry_migration(entry);
		if (ptdh_entry_has_pfn(entry))
			page = ptdh_entry_page(entry);
		if (ptdh_entry_uffd_wp_marker(entry))
			flags |= PTDH_PM_UFFD_WP;
#ifdef PTE_MARKER_GUARD
		/* later kernels' guard regions: PM_GUARD_REGION, left to pagemap */
		if (ptdh_entry_guard(entry))
			return 0;
#endif
	} else {
		return 0;
	}
	if (page) {
		folio = page_folio(page);
		if (!folio_test_anon(folio))
			flags |= PTDH_PM_FILE;
		if (ptdh_pm_excl_tested(flags, migration) &&
		    ptdh_mapcount(folio, page) == 1)
			flags |= PTDH_PM_MMAP_EXCLUSIVE;
	}
	return (frame & PTDH_PM_PFRAME_MASK) | flags | c->vma_flags;
}

/*
 * The ptes of [@addr, @end) under the pmd table @pmd (read at @pmdp) and
 * their pagemap words, under the page table lock, as pagemap reads them,
 * into q->ents as runs (@n of them); none ptes are left out.
 * A pte's struct page is only stable while the pte maps it: zapping or
 * unmapping it clears the pte under this lock before the page is freed
 * or split, and the mapcount and anon bit pagemap compares are the ones
 * that lock serialises.  Read locklessly, the page could be freed and
 * reused between the pte read and the page's.  The lock is taken as
 * __pte_offset_map_lock() takes it (mm/pgtable-generic.c:364 at 6.12, not
 * exported): the pmd read again in an RCU read section, which keeps a
 * table pte_free_defer() retracts alive (the only way a pte table goes
 * under the mmap read lock, 6.12's khugepaged; at 6.1 none does,
 * mm/khugepaged.c takes the write lock), still a table, then locked and
 * read once more under the lock; a pmd that changed is -EAGAIN.  Not with interrupts off: the
 * lock's holder may wait for a TLB-flush IPI to this CPU.
 * Inlined into its one caller, as gcc did before spans made it longer:
 * out of line, a walk of every pte was about 1% slower still.
 */
static __always_inline int ptdh_read_ptes_locked(struct ptdh_walk *w,
						 pmd_t *pmdp, pmd_t pmd,
						 unsigned long addr,
						 unsigned long end,
						 unsigned int *n)
{
	struct ptdh_pm_ctx c = {
		.vma_flags = w->vma->vm_flags & VM_SOFTDIRTY ?
			     PTDH_PM_SOFT_DIRTY : 0,
		.finds_page = ptdh_vma_finds_page(w->vma),
		.known = { ~0UL, ~0UL },
	};
	struct ptdh_ent *e = w->q->ents, *first = e;
	u64 keep = ~ptdh_pte_pfn_mask();	/* what a span's ptes share */
	spinlock_t *ptl;	/* the pte table's, as pagemap takes it */
	unsigned int i, nr;
	pte_t *ptep, pte;
	u64 raw, pm;
	pmd_t now;
	int ret = 0;

	*n = 0;
	rcu_read_lock();
	/*
	 * @pmd was read before this section: a table retracted since may
	 * already be freed, and its lock with it.  What the pmd holds now,
	 * read inside the section, stays allocated until it ends.
	 */
	now = pmdp_get_lockless(pmdp);
	if (pmd_val(now) != pmd_val(pmd) || ptdh_pmd_state(now) != PTDH_TABLE) {
		rcu_read_unlock();
		return -EAGAIN;
	}
	ptl = pte_lockptr(w->mm, &now);
	spin_lock(ptl);
	if (pmd_val(pmdp_get_lockless(pmdp)) != pmd_val(pmd)) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	ptep = pte_offset_kernel(&pmd, addr);
	nr = (end - (addr & PAGE_MASK) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	for (i = 0; i < nr; i++, ptep++) {
		pte = ptep_get(ptep);
		if (pte_none(pte))
			continue;
		raw = ptdh_pte_raw(ptep, pte);
		pm = ptdh_pte_pm(&c, pte);
		/*
		 * A run: present ptes whose raw values and pagemap words
		 * each step by one page, flags unchanged, so that user space
		 * gets each back by adding the step (a span stays one).
		 * Asked for spans, ptes whose flags are the same join
		 * whatever their PFNs: the sums and runs user space makes of
		 * a range need no more.  The run's test comes first and
		 * alone, as before spans: a walk of every pte is most ptes.
		 */
		if (e != first && (pm & PTDH_PM_PRESENT) &&
		    i == e[-1].idx + e[-1].count) {
			if (raw == e[-1].raw + (u64)e[-1].count * PAGE_SIZE &&
			    pm == e[-1].pm + e[-1].count &&
			    !((pm ^ e[-1].pm) & ~PTDH_PM_PFRAME_MASK)) {
				e[-1].count++;
				continue;
			}
			if (w->spans && !((raw ^ e[-1].raw) & keep) &&
			    !((pm ^ e[-1].pm) & ~PTDH_PM_PFRAME_MASK)) {
				e[-1].count++;
				e[-1].span = true;
				continue;
			}
		}
		*e++ = (struct ptdh_ent){ raw, pm, i, 1, false };
	}
	*n = e - first;
out_unlock:
	spin_unlock(ptl);
	rcu_read_unlock();
	return ret;
}
#endif

/*
 * One pmd-sized piece [@addr, @end) under @pud, read in one interrupts-off
 * section (see the top of this file).  Returns -ESTALE when the pud
 * changed, for the caller to read it again; -EAGAIN when the pmd kept
 * changing.  @n is set to the number of entries read into q->ents.
 */
static int ptdh_read_piece(struct ptdh_walk *w, pud_t *pudp, pud_t pud,
			   pmd_t *pmdp, unsigned long addr, unsigned long end,
			   pmd_t *pmd, unsigned int *n)
{
	unsigned long flags, a;
	pte_t *ptep;
	int i;
	bool same;

	for (i = 0; i < PTDH_RETRIES; i++) {
		*n = 0;
		same = true;
		local_irq_save(flags);
		if (pud_val(READ_ONCE(*pudp)) != pud_val(pud)) {
			local_irq_restore(flags);
			return -ESTALE;
		}
		*pmd = pmdp_get_lockless(pmdp);
		if (ptdh_pmd_state(*pmd) == PTDH_TABLE && !w->pm) {
			ptep = pte_offset_kernel(pmd, addr);
			for (a = addr & PAGE_MASK; a < end; a += PAGE_SIZE) {
				w->q->ents[*n] = (struct ptdh_ent){
					ptdh_pte_get(ptep++), 0, *n, 1
				};
				(*n)++;
			}
			same = pmd_val(pmdp_get_lockless(pmdp)) == pmd_val(*pmd);
		}
		local_irq_restore(flags);
#ifdef PTDH_HAVE_PM
		/*
		 * A pmd table in a VMA ptdh_pm_vma() accepts (not hugetlb)
		 * is not freed under the mmap read lock, so @pmdp stays
		 * readable outside the section.
		 */
		if (ptdh_pmd_state(*pmd) == PTDH_TABLE && w->pm)
			same = !ptdh_read_ptes_locked(w, pmdp, *pmd, addr, end, n);
#endif
		if (same)
			return 0;
		cond_resched();
	}
	return -EAGAIN;
}

static int ptdh_walk_pmds(struct ptdh_walk *w, pud_t *pudp, pud_t pud,
			  unsigned long *addrp, unsigned long end)
{
	unsigned long addr = *addrp, next;
	pmd_t *pmdp = pmd_offset_lockless(pudp, pud, addr), pmd;
	unsigned int n;
	int ret = 0;

	for (; addr != end; addr = next, pmdp++) {
		next = pmd_addr_end(addr, end);
		ret = ptdh_stop(w, addr);
		if (ret)
			break;
		ret = ptdh_read_piece(w, pudp, pud, pmdp, addr, next, &pmd, &n);
		if (ret)
			break;
		ptdh_entry(w, PTDH_PMD, addr & PMD_MASK, pmd_val(pmd),
			   ptdh_pmd_state(pmd), 0, 1, false);
		ptdh_ptes(w, addr & PAGE_MASK, n);
		w->pieces++;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	*addrp = addr;
	return ret;
}

/*
 * Whether the pmd table under a pud of @vma may be one hugetlb shares
 * with another mm, on a kernel that frees such a table without making
 * sure no interrupts-off reader still walks it (see the top of this file).
 */
static bool ptdh_shared_unsafe(struct vm_area_struct *vma)
{
#if (defined(CONFIG_HUGETLB_PMD_PAGE_TABLE_SHARING) || \
	defined(CONFIG_ARCH_WANT_HUGE_PMD_SHARE)) && \
	!defined(PTDH_HAVE_HUGETLB_UNSHARE_SYNC)
	return is_vm_hugetlb_page(vma) && (vma->vm_flags & VM_MAYSHARE);
#else
	return false;
#endif
}

static int ptdh_walk_puds(struct ptdh_walk *w, p4d_t *p4dp, p4d_t p4d,
			  unsigned long addr, unsigned long end)
{
	pud_t *pudp = pud_offset_lockless(p4dp, p4d, addr), pud;
	unsigned long next;
	enum ptdh_state st;
	int ret, tries;

	for (; addr != end; addr = next, pudp++) {
		next = pud_addr_end(addr, end);
		for (tries = 0; addr != next; tries++) {
			ret = ptdh_stop(w, addr);
			if (ret)
				return ret;
			pud = READ_ONCE(*pudp);
			st = ptdh_pud_state(pud);
			ptdh_entry(w, PTDH_PUD, addr & PUD_MASK, pud_val(pud), st,
				   0, 1, false);
			if (st != PTDH_TABLE)
				break;
			if (ptdh_shared_unsafe(w->vma)) {
				ptdh_out(w->q, "unfollowed %lx\n", addr & PUD_MASK);
				break;
			}
			/* advances @addr past the pieces it answered */
			ret = ptdh_walk_pmds(w, pudp, pud, &addr, next);
			if (ret == -ESTALE && tries < PTDH_RETRIES)
				continue;
			if (ret)
				return ret == -ESTALE ? -EAGAIN : ret;
		}
	}
	return 0;
}

static int ptdh_walk_p4ds(struct ptdh_walk *w, pgd_t *pgdp, pgd_t pgd,
			  unsigned long addr, unsigned long end)
{
	p4d_t *p4dp = p4d_offset_lockless(pgdp, pgd, addr), p4d;
	/* a folded p4d is the pgd entry, and is reported as the pgd */
	int l = ptdh_p4d_folded() ? PTDH_PGD : PTDH_P4D;
	unsigned long next;
	int ret;

	for (; addr != end; addr = next, p4dp++) {
		next = p4d_addr_end(addr, end);
		ret = ptdh_stop(w, addr);
		if (ret)
			return ret;
		p4d = READ_ONCE(*p4dp);
		if (p4d_none(p4d) || p4d_bad(p4d)) {
			ptdh_entry(w, l, addr & P4D_MASK, p4d_val(p4d),
				   p4d_none(p4d) ? PTDH_NONE : PTDH_BAD, 0, 1, false);
			continue;
		}
		ptdh_entry(w, l, addr & P4D_MASK, p4d_val(p4d), PTDH_TABLE,
			   0, 1, false);
		ret = ptdh_walk_puds(w, p4dp, p4d, addr, next);
		if (ret)
			return ret;
	}
	return 0;
}

/* [@addr, @end) of one VMA, from the top level down. */
static int ptdh_walk_range(struct ptdh_walk *w, unsigned long addr,
			   unsigned long end)
{
	pgd_t *pgdp = ptdh_pgd_offset(w->mm, addr), pgd;
	unsigned long next;
	int ret;

	for (; addr != end; addr = next, pgdp++) {
		next = pgd_addr_end(addr, end);
		ret = ptdh_stop(w, addr);
		if (ret)
			return ret;
		pgd = READ_ONCE(*pgdp);
		if (!ptdh_p4d_folded()) {
			if (pgd_none(pgd) || pgd_bad(pgd)) {
				ptdh_entry(w, PTDH_PGD, addr & PGDIR_MASK, pgd_val(pgd),
					   pgd_none(pgd) ? PTDH_NONE : PTDH_BAD, 0, 1, false);
				continue;
			}
			ptdh_entry(w, PTDH_PGD, addr & PGDIR_MASK, pgd_val(pgd),
				   PTDH_TABLE, 0, 1, false);
		}
		ret = ptdh_walk_p4ds(w, pgdp, pgd, addr, next);
		if (ret)
			return ret;
	}
	return 0;
}

static int ptdh_walk_task(struct ptdh_query *q, pid_t nr, unsigned long start,
			  unsigned long end, bool single, bool spans)
{
	struct ptdh_walk w = { .q = q, .single = single, .spans = spans };
	struct vm_area_struct *vma;
	struct task_struct *task;
	unsigned long s, e;
	struct pid *pid;
	int ret = 0;

	memset(w.seen, 0xff, sizeof(w.seen));
	pid = find_get_pid(nr);
	if (!pid)
		return -ESRCH;
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	if (task->flags & PF_KTHREAD) {
		put_task_struct(task);
		return -EINVAL;
	}
	/* NULL once the task has exited (a zombie) */
	w.mm = get_task_mm(task);
	put_task_struct(task);
	if (!w.mm)
		return -ESRCH;
	if (mmap_read_lock_killable(w.mm)) {
		ret = -EINTR;
		goto out_mmput;
	}
	ptdh_out(q, "query %d %lx %lx\n", nr, start, end);
	vma = find_vma(w.mm, start);
	if (!vma || vma->vm_start >= end || (single && vma->vm_start > start)) {
		ret = -ENOENT;
		goto out_unlock;
	}
	for (; vma && vma->vm_start < end; vma = find_vma(w.mm, e)) {
		s = max(start, vma->vm_start) & PAGE_MASK;
		e = min(end, vma->vm_end);
		ret = ptdh_stop(&w, s);
		if (ret)
			break;
		ptdh_out(q, "vma %lx %lx %lx\n", vma->vm_start, vma->vm_end,
			 (unsigned long)vma->vm_flags);
		w.vma = vma;
		w.pm = ptdh_pm_vma(&w, vma);
		ret = ptdh_walk_range(&w, s, single ? s + PAGE_SIZE : PAGE_ALIGN(e));
		if (ret)
			break;
		e = vma->vm_end;
	}
	if (ret == PTDH_STOP) {
		ptdh_out(q, "more %lx\n", w.more);
		ret = 0;
	}
	if (!ret && q->overflow)
		ret = -EFBIG;
out_unlock:
	mmap_read_unlock(w.mm);
out_mmput:
	mmput(w.mm);
	return ret;
}

/*
 * The walk file's access is checked at open and again at each write and
 * read: a descriptor root opened and passed on (SCM_RIGHTS, or kept across
 * fork() and setuid()) must not go on walking, nor hand over the last
 * answer, for a process without CAP_SYS_ADMIN.  Both the opener
 * (file_ns_capable(), its f_cred) and the caller now (capable()) must have
 * it, against the initial user namespace.
 */
static bool ptdh_allowed(struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN) &&
	       capable(CAP_SYS_ADMIN);
}

static ssize_t ptdh_walk_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct ptdh_query *q = file->private_data;
	char kbuf[PTDH_QUERY_MAX];
	struct ptdh_request r;
	int ret;

	if (!ptdh_allowed(file))
		return -EPERM;
	if (!count || count > PTDH_QUERY_MAX)
		return -EINVAL;
	if (copy_from_user(kbuf, ubuf, count))
		return -EFAULT;
	/* user addresses only: TASK_SIZE_MAX covers both paging modes */
	ret = ptdh_parse_query(kbuf, count, TASK_SIZE_MAX, &r);
	if (ret)
		return ret;
	mutex_lock(&q->lock);
	/* charged to the caller's memory cgroup: any root task may ask */
	if (!q->buf) {
		q->buf = kvmalloc(PTDH_BUF_MIN, GFP_KERNEL_ACCOUNT);
		/* 12 KiB: kvmalloc, not an order-2 page that may not come */
		q->ents = kvmalloc_array(PTRS_PER_PTE, sizeof(*q->ents),
					 GFP_KERNEL_ACCOUNT);
		if (!q->buf || !q->ents) {
			kvfree(q->buf);
			kvfree(q->ents);
			q->buf = NULL;
			q->ents = NULL;
			ret = -ENOMEM;
			goto out_unlock;
		}
		q->cap = PTDH_BUF_MIN;
	}
	q->len = 0;
	q->overflow = false;
	ptdh_out(q, "ptdump_helper %d\n", PTDH_VERSION);
	ret = ptdh_walk_task(q, r.pid, r.start, r.end, r.single, r.spans);
	if (!ret)
		ptdh_out(q, "end\n");
	if (ret || q->overflow)
		q->len = 0;
	if (!ret && q->overflow)
		ret = -EFBIG;
	/* the answer is read from its start */
	*ppos = 0;
out_unlock:
	mutex_unlock(&q->lock);
	return ret ? ret : count;
}

static ssize_t ptdh_walk_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct ptdh_query *q = file->private_data;
	ssize_t ret;

	if (!ptdh_allowed(file))
		return -EPERM;
	mutex_lock(&q->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, q->buf, q->len);
	mutex_unlock(&q->lock);
	return ret;
}

static int ptdh_walk_open(struct inode *inode, struct file *file)
{
	struct ptdh_query *q;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);
	if (!q)
		return -ENOMEM;
	mutex_init(&q->lock);
	file->private_data = q;
	return nonseekable_open(inode, file);
}

static int ptdh_walk_release(struct inode *inode, struct file *file)
{
	struct ptdh_query *q = file->private_data;

	kvfree(q->buf);
	kvfree(q->ents);
	mutex_destroy(&q->lock);
	kfree(q);
	return 0;
}

static const struct file_operations ptdh_walk_fops = {
	.owner = THIS_MODULE,
	.open = ptdh_walk_open,
	.read = ptdh_walk_read,
	.write = ptdh_walk_write,
	.release = ptdh_walk_release,
};

/*
 * vm_flags under smaps' own names (show_smap_vma_flags(),
 * fs/proc/task_mmu.c): user space names a VMA's flags from the walk's vma
 * line, because reading smaps walks the VMA and splits (for a pfnmap:
 * zaps) a huge pud on the way.  A flag this kernel defines as 0 is left
 * out of the layout.
 */
static const struct ptdh_name ptdh_vmflags[] = {
	{ "rd", VM_READ },
	{ "wr", VM_WRITE },
	{ "ex", VM_EXEC },
	{ "sh", VM_SHARED },
	{ "mr", VM_MAYREAD },
	{ "mw", VM_MAYWRITE },
	{ "me", VM_MAYEXEC },
	{ "ms", VM_MAYSHARE },
	{ "gd", VM_GROWSDOWN },
	{ "pf", VM_PFNMAP },
	{ "lo", VM_LOCKED },
	{ "io", VM_IO },
	{ "sr", VM_SEQ_READ },
	{ "rr", VM_RAND_READ },
	{ "dc", VM_DONTCOPY },
	{ "de", VM_DONTEXPAND },
	{ "lf", VM_LOCKONFAULT },
	{ "ac", VM_ACCOUNT },
	{ "nr", VM_NORESERVE },
	{ "ht", VM_HUGETLB },
	{ "sf", VM_SYNC },
	{ "ar", VM_ARCH_1 },
	{ "wf", VM_WIPEONFORK },
	{ "dd", VM_DONTDUMP },
	{ "sd", VM_SOFTDIRTY },
	{ "mm", VM_MIXEDMAP },
	{ "hg", VM_HUGEPAGE },
	{ "nh", VM_NOHUGEPAGE },
	{ "mg", VM_MERGEABLE },
	{ "um", VM_UFFD_MISSING },
	{ "uw", VM_UFFD_WP },
	{ "ui", VM_UFFD_MINOR },
#ifdef VM_SHADOW_STACK
	{ "ss", VM_SHADOW_STACK },
#endif
#ifdef VM_DROPPABLE
	{ "dp", VM_DROPPABLE },
#endif
#ifdef VM_SEALED
	{ "sl", VM_SEALED },
#endif
};

/* decimal swap types of special entries, each where configured */
static void ptdh_layout_swp(struct seq_file *m)
{
	seq_printf(m, "swp max_swapfiles %d\n", (int)MAX_SWAPFILES);
#ifdef CONFIG_MIGRATION
	seq_printf(m, "swp migration_read %d\n", (int)SWP_MIGRATION_READ);
#endif
#ifdef CONFIG_MEMORY_FAILURE
	seq_printf(m, "swp hwpoison %d\n", (int)SWP_HWPOISON);
#endif
#ifdef CONFIG_DEVICE_PRIVATE
	seq_printf(m, "swp device_first %d\n", (int)SWP_DEVICE_WRITE);
#endif
	/* 6.1 defines SWP_PTE_MARKER with CONFIG_PTE_MARKER, 6.12 always */
#ifdef SWP_PTE_MARKER
	seq_printf(m, "swp marker %d\n", (int)SWP_PTE_MARKER);
#endif
#ifdef SWP_SWAPIN_ERROR
	seq_printf(m, "swp swapin_error %d\n", (int)SWP_SWAPIN_ERROR);
#endif
}

static int ptdh_layout_show(struct seq_file *m, void *v)
{
	size_t i;

	seq_printf(m, "ptdump_helper %d\n", PTDH_VERSION);
	seq_printf(m, "arch %s\nrelease %s\n", PTDH_ARCH, utsname()->release);
	seq_printf(m, "levels %d\n", ptdh_p4d_folded() ? 4 : 5);
	/* a folded p4d's pgd entry is the p4d, the top level the MMU uses */
	seq_printf(m, "shift pgd %d\n",
		   ptdh_p4d_folded() ? P4D_SHIFT : PGDIR_SHIFT);
	if (!ptdh_p4d_folded())
		seq_printf(m, "shift p4d %d\n", P4D_SHIFT);
	seq_printf(m, "shift pud %d\nshift pmd %d\nshift pte %d\n", PUD_SHIFT,
		   PMD_SHIFT, PAGE_SHIFT);
	ptdh_arch_layout(m);
	for (i = 0; i < ARRAY_SIZE(ptdh_bits); i++)
		if (ptdh_bits[i].mask)
			seq_printf(m, "bit %s %llx\n", ptdh_bits[i].name,
				   (unsigned long long)ptdh_bits[i].mask);
	ptdh_layout_swp(m);
	for (i = 0; i < ARRAY_SIZE(ptdh_vmflags); i++)
		if (ptdh_vmflags[i].mask)
			seq_printf(m, "vmflag %s %llx\n", ptdh_vmflags[i].name,
				   (unsigned long long)ptdh_vmflags[i].mask);
	seq_puts(m, "end\n");
	return 0;
}

static int ptdh_layout_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return single_open(file, ptdh_layout_show, NULL);
}

static const struct file_operations ptdh_layout_fops = {
	.owner = THIS_MODULE,
	.open = ptdh_layout_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init ptdh_init(void)
{
	char d[2];
	int i;

	for (i = 0; i < ARRAY_SIZE(ptdh_hex2); i++) {
		d[0] = hex_asc_hi(i);
		d[1] = hex_asc_lo(i);
		memcpy(&ptdh_hex2[i], d, sizeof(d));
	}
	/* the first piece of an answer fits its first buffer */
	BUILD_BUG_ON(PTDH_PIECE_MAX + 4 * PTDH_LINE_MAX > PTDH_BUF_MIN);
	/* ptdh_entry()'s widest line, its names written whole */
	BUILD_BUG_ON(2 * sizeof_field(struct ptdh_tag, s) + 4 * 16 + 5 + 2 > PTDH_LINE_MAX);
	/* a pte's index and a run's length in a table fit struct ptdh_ent */
	BUILD_BUG_ON(PTRS_PER_PTE > U16_MAX);
	ptdh_dir = debugfs_create_dir("ptdump_helper", NULL);
	debugfs_create_file("layout", 0400, ptdh_dir, NULL, &ptdh_layout_fops);
	debugfs_create_file("walk", 0600, ptdh_dir, NULL, &ptdh_walk_fops);
	return 0;
}

static void __exit ptdh_exit(void)
{
	debugfs_remove_recursive(ptdh_dir);
}

module_init(ptdh_init);
module_exit(ptdh_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Raw page-table entries of any task, through debugfs, for ptinspect");
MODULE_AUTHOR("The ptinspect developers");
