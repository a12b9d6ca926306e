// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel-page-flags.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atoms.h"
#include "lab.h"

#define PT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define K(id) (1u << PT_LAB_##id)
#define K_ALL ((1u << PT_LAB_NR_KINDS) - 1)

/*
 * The page an access of each kind faults in, where it is not 4 KiB: an
 * access elsewhere in it hits the watched page.
 */
static const uint64_t pt_kind_page[PT_LAB_NR_KINDS] = {
	[PT_LAB_HUGETLB] = 2ull << 20,		/* MAP_HUGETLB of the default 2 MiB */
	[PT_LAB_HUGETLB_SHARED] = 2ull << 20,
};

/*
 * The event a row names for each advice of `madvise`; MADV_MERGEABLE has
 * none of its own and is taken as the last, as it always was.
 */
static const int pt_advice_event[PT_LAB_NR_ADVICES] = {
	[PT_ADV_DONTNEED] = PT_R_DONTNEED,
	[PT_ADV_COLLAPSE] = PT_R_COLLAPSE,
	[PT_ADV_PAGEOUT] = PT_R_PAGEOUT,
	[PT_ADV_HUGEPAGE] = PT_R_HUGEPAGE,
	[PT_ADV_NOHUGEPAGE] = PT_R_NOHUGEPAGE,
	[PT_ADV_MERGEABLE] = PT_R_NOHUGEPAGE,
};

/* Atoms a /proc/kpageflags bit of the mapped page says. */
static const struct {
	enum pt_atom atom;
	unsigned int kpf;	/* linux/kernel-page-flags.h */
} pt_kpf_atoms[] = {
	{ PT_A_ZERO, KPF_ZERO_PAGE },
};

/*
 * Atoms a bit of the watched entry says, for some kinds only: a bit whose
 * meaning depends on what the kind maps.
 */
struct pt_bit_atom {
	enum pt_atom atom;
	unsigned int kinds;	/* K() */
	const char *bit;	/* the decoder's name */
	long value;		/* the atom holds when the bit has it */
	bool pte;		/* only for a pte */
	bool at_base;		/* only for the event at the mapping's first page */
};

static const struct pt_bit_atom pt_bit_atoms[] = {
	/* arm64's PTE_CONT; an architecture without the bit has no runs */
	{ PT_A_CONT, K_ALL, "cont", 1, false, false },
	/* the zero page is mapped special (do_anonymous_page) */
	{ PT_A_ZERO, K(ANON) | K(THP), "special", 1, true, false },
	/* a private pfnmap's first page, COWed: a normal page, not special */
	{ PT_A_COWED, K(PFNMAP_PRIVATE), "special", 0, false, true },
};


/* pagemap saw a present page and was allowed to show its PFN */
static bool pt_pm_pfn(const struct pt_pagemap *pm)
{
	return pm->valid && pm->present && pm->pfn;	/* 0: hidden */
}

void pt_see(const struct pt_lab *lab, const struct pt_lab_step *s, int p,
		   struct pt_seen *o)
{
	const struct pt_walk *w;
	int l;

	memset(o, 0, sizeof(*o));
	o->level = -1;
	if (!s)
		return;
	o->exists = s->proc[p].exists;
	o->walked = s->proc[p].walked;
	if (!o->walked)
		return;
	w = o->w = &s->proc[p].walk;
	l = o->level = pt_walk_leaf(w);
	if (l >= 0 && w->level[l].has_raw) {
		o->raw = true;
		o->rawv = w->level[l].raw;
		pt_decode(&lab->src->layout, l, o->rawv, &o->d);
		o->present = o->d.state == PT_STATE_LEAF;
		o->empty = o->d.state == PT_STATE_NONE;
		if (o->present && o->d.has_pfn) {
			o->has_pfn = true;
			o->pfn = pt_walk_page_pfn(w, l, o->d.pfn);
		}
	} else if (l < 0 && w->level[PT_PGD].has_raw) {
		o->raw = true;
		o->empty = true;	/* a walk that found no table on the way */
	} else if (w->pm.valid) {
		o->present = w->pm.present;
		o->empty = !w->pm.present && !w->pm.swapped;
	}
	if (!o->has_pfn && pt_pm_pfn(&w->pm)) {
		o->has_pfn = true;
		o->pfn = w->pm.pfn;
	}
}

/* A bit of the seen leaf; -1 when the source cannot show bits. */
long pt_seen_bit(const struct pt_lab *lab, const struct pt_seen *o, const char *name)
{
	const struct pt_bit *r;

	if (!o->raw)
		return -1;
	if (o->empty)
		return PT_SEEN_NO_ENTRY;
	if (!o->present)
		return -1;
	r = pt_layout_row(&lab->src->layout, name);
	/* a bit this kernel does not have is clear */
	return r && pt_row_applies(r, o->level, o->d.state) ? (long)pt_row_value(r, o->rawv) : 0;
}

/*
 * The watched page's entry in two snapshots alike, but for the bits the CPU
 * sets by itself (Accessed; Dirty too for "kept").  Only the entry that
 * maps the page counts: a page table allocated on the way for a fault
 * elsewhere changes nothing for the watched page.
 */
static long pt_walks_alike(const struct pt_rows *t, const struct pt_lab *lab,
			   const struct pt_seen *a, const struct pt_seen *b, bool ignore_dirty)
{
	const struct pt_layout *ly = &lab->src->layout;
	const struct pt_bit *acc = t->cpu_young[0] ? pt_layout_row(ly, t->cpu_young) : NULL;
	const struct pt_bit *dirty = t->cpu_dirty[0] ? pt_layout_row(ly, t->cpu_dirty) : NULL;
	uint64_t ignore = acc ? acc->mask : 0;

	if (!a->walked || !b->walked)
		return -1;
	if (ignore_dirty && dirty)
		ignore |= dirty->mask;
	if (a->empty || b->empty)
		return a->empty && b->empty;
	if (a->raw != b->raw || a->present != b->present)
		return 0;
	if (!a->raw)
		return a->has_pfn == b->has_pfn && a->pfn == b->pfn;
	return a->level == b->level && !((a->rawv ^ b->rawv) & ~ignore);
}

/*
 * Whether the watched page's pmd is a page table (1) or not (0: none, or a
 * huge leaf).  A walk of the module's stops where it found no table; the
 * /proc source sees a pte under a table while the page is mapped, and
 * after an event that left it empty only a pte table fewer in the
 * process's VmPTE says the pmd went with it (the lab's subject maps no
 * other memory between two steps).
 */
static long pt_seen_table(const struct pt_lab *lab, const struct pt_lab_step *s,
			  const struct pt_lab_step *prev, int p, const struct pt_seen *o)
{
	struct pt_seen q;
	uint64_t was, now;

	if (o->raw)
		return o->level == PT_PTE;
	if (o->present)
		return o->w->pm.scan_huge < 0 ? -1 : !o->w->pm.scan_huge;
	if (!o->empty || !prev)
		return -1;
	pt_see(lab, prev, p, &q);
	was = prev->proc[p].vmpte_kb;
	now = s->proc[p].vmpte_kb;
	/* before: a pte under a table; after: VmPTE says whether it stayed */
	if (!q.walked || !q.present || q.raw || q.w->pm.scan_huge != 0 || !was || !now)
		return -1;
	return now == was ? 1 : now + 4 <= was ? 0 : -1;
}

/* The value of @what for process @p (0, 1; 2: both) at step @s. */
long pt_observe(const struct pt_rows *t, const struct pt_lab *lab, const struct pt_lab_step *s,
		const struct pt_lab_step *prev, int p, const char *what)
{
	struct pt_seen o, q;

	if (!strcmp(what, "error"))
		return !!s->err[0];
	if (!strcmp(what, "pfn_same")) {
		pt_see(lab, s, 0, &o);
		pt_see(lab, s, 1, &q);
		if (!o.walked || !q.walked)
			return -1;
		if (o.empty || q.empty)
			return (o.raw || q.raw) ? PT_SEEN_NO_ENTRY : -1;
		return o.has_pfn && q.has_pfn ? o.pfn == q.pfn : -1;
	}
	if (!strcmp(what, "guard") || !strcmp(what, "guard_same")) {
		/* pagemap's PM_GUARD_REGION, from 6.15 on */
		if (lab->src->layout.kver < PT_KV(6, 15))
			return -1;
		pt_see(lab, s, p == 1, &o);
		pt_see(lab, s, 1, &q);
		if (!o.walked || !o.w->pm.valid)
			return -1;
		if (what[5] != '_')
			return o.w->pm.guard;
		if (!q.walked || !q.w->pm.valid)
			return -1;
		return o.w->pm.guard == q.w->pm.guard;
	}
	if (p > 1)
		p = 0;
	pt_see(lab, s, p, &o);
	if (!strcmp(what, "unchanged") || !strcmp(what, "kept")) {
		pt_see(lab, prev, p, &q);
		return pt_walks_alike(t, lab, &q, &o, what[0] == 'k');
	}
	if (!o.walked)
		return -1;
	if (!strcmp(what, "empty"))
		return o.empty ? 1 : o.present ? 0 : -1;
	if (!strcmp(what, "pte_table"))
		return pt_seen_table(lab, s, prev, p, &o);
	if (!strcmp(what, "pfn"))
		return o.empty ? PT_SEEN_NO_ENTRY : o.has_pfn ? (long)o.pfn : -1;
	if (!strcmp(what, "level")) {
		if (!o.raw)
			return -1;
		return o.empty ? PT_SEEN_NO_ENTRY : o.present ? o.level : -1;
	}
	return pt_seen_bit(lab, &o, what);
}

/* ---- the state before an event ---- */

int pt_step_event(const struct pt_lab_step *s)
{
	const struct pt_cmd *c = &s->cmd;

	switch (c->id) {
	case PT_C_KIND:
		return PT_R_MAP;
	case PT_C_WRITE:
		return PT_R_WRITE;
	case PT_C_READ:
		return PT_R_READ;
	case PT_C_FORK:
		return PT_R_FORK;
	case PT_C_EXIT:
		return PT_R_EXIT;
	case PT_C_MADVISE:
		return c->advice < PT_LAB_NR_ADVICES ? pt_advice_event[c->advice] : PT_R_NOHUGEPAGE;
	case PT_C_MPROTECT:
		return c->prot == PT_PROT_RO ? PT_R_MPROT_RO : PT_R_MPROT_RW;
	case PT_C_CLEAR_SOFT_DIRTY:
		return PT_R_CSD;
	case PT_C_PIN:
		return PT_R_PIN;
	case PT_C_UNPIN:
		return PT_R_UNPIN;
	case PT_C_GUARD:
		return PT_R_GUARD;
	case PT_C_UNGUARD:
		return PT_R_UNGUARD;
	case PT_C_WAIT:
		return PT_R_WAIT;
	case PT_C_ADDR:
	case PT_C_NEXT_POPULATED:
	case PT_C_PREV_POPULATED:
		return PT_R_ADDR;
	default:
		/* an event with no name above: its rows name its command */
		return PT_R_CMD + (int)c->id;
	}
}

/* Which processes the event acts on: bit 0 the parent, bit 1 the child. */
unsigned int pt_step_actors(const struct pt_lab_step *s)
{
	switch (s->cmd.id) {
	case PT_C_KIND:
	case PT_C_FORK:
		return 1;
	case PT_C_EXIT:
		return 2;
	case PT_C_CLEAR_SOFT_DIRTY:
		return s->cmd.who == PT_WHO_DEFAULT ? 3 : s->cmd.who == PT_WHO_CHILD ? 2 : 1;
	case PT_C_WAIT:
	case PT_C_ADDR:
		return 0;
	default:
		return s->cmd.who == PT_WHO_CHILD ? 2 : 1;
	}
}

/* Where the event fell, against what @o maps around the watched page. */
static uint64_t pt_touch(const struct pt_lab *lab, const struct pt_lab_step *s,
			 const struct pt_seen *o)
{
	uint64_t w = s->addr, t = s->addr + s->cmd.off, psz = 4096;

	if (s->cmd.id != PT_C_WRITE && s->cmd.id != PT_C_READ)
		return A(HIT);
	if (pt_kind_page[lab->kind])
		psz = pt_kind_page[lab->kind];
	if ((t & ~(psz - 1)) == (w & ~(psz - 1)))
		return A(HIT);
	if (o->present && o->raw && o->level >= 0 && o->d.size) {
		uint64_t va = o->w->level[o->level].va;

		if (t >= va && t < va + o->d.size)
			return A(INLEAF);
	} else if (o->present && !o->raw) {
		/* pagemap knows a huge mapping only through PAGEMAP_SCAN */
		if (o->w->pm.scan_huge < 0)
			return 0;
		if (o->w->pm.scan_huge && t >> 21 == w >> 21)
			return A(INLEAF);
	}
	if (t >> 16 == w >> 16)
		return A(WIN);
	if (t >> 21 == w >> 21)
		return A(NEAR);
	return A(FAR);
}

/*
 * The pin process @p holds is on the page its watched entry maps in @prev:
 * a pin outlives the mapping (MADV_DONTNEED zaps it, a new fault maps
 * another page), and only the pinned page is kept from being shared
 * copy-on-write.  Only a zap since the pin moves the entry off the pinned
 * page; unknown PFNs count as the same page.
 */
static bool pt_pin_on_page(const struct pt_lab *lab, const struct pt_lab_step *prev, int p,
			   const struct pt_seen *o)
{
	const struct pt_lab_step *k;
	struct pt_seen w;
	bool zapped = false;
	size_t i;

	for (i = (size_t)(prev - lab->steps) + 1; i-- > 0;) {
		k = &lab->steps[i];
		if (k->err[0] || !(pt_step_actors(k) & (1u << p)))
			continue;
		if (k->cmd.id == PT_C_MADVISE && k->cmd.advice == PT_ADV_DONTNEED)
			zapped = true;
		if (k->cmd.id != PT_C_PIN)
			continue;
		if (!zapped)
			return true;
		pt_see(lab, k, p, &w);
		return !(w.has_pfn && o->has_pfn && w.pfn != o->pfn);
	}
	return true;
}

static uint64_t pt_entry_atoms(const struct pt_lab *lab, const struct pt_lab_step *s,
			       const struct pt_lab_step *prev, int p)
{
	struct pt_seen o, q;
	const struct pt_vma *v;
	uint64_t a = 0;
	bool shared_vma;
	size_t i;

	if (s->err[0])
		a |= A(FAILED);
	if (pt_step_actors(s) & (1u << p))
		a |= A(ACTOR);
	pt_see(lab, prev, p, &o);
	pt_see(lab, prev, !p, &q);
	if (prev && prev->proc[1].exists)
		a |= A(CHILD);
	a |= pt_touch(lab, s, &o);
	if (s->target_mapped && (pt_step_actors(s) & (1u << p)))
		a |= A(MAPPED);
	if (!o.exists)
		return a | A(GONE);
	if (prev->pinned[p] && pt_pin_on_page(lab, prev, p, &o))
		a |= A(PINNED);
	if (!o.walked)
		return a | A(UNSEEN);
	/* a guard marker is no page: pagemap says it from 6.15 on */
	if (o.w->pm.valid && o.w->pm.guard)
		a |= A(GUARD);
	v = &o.w->vma;
	shared_vma = v->perms[3] == 's';
	if (v->perms[1] != 'w')
		a |= A(VMARO);
	/* no soft-dirty bit (arm64): smaps has no "sd" flag, and nothing tracks */
	if (v->has_flags && !pt_vma_has_flag(v, "sd") && pt_layout_row(&lab->src->layout, "soft_dirty"))
		a |= A(SDT);
	if (v->has_flags && pt_vma_has_flag(v, "nh"))
		a |= A(NH);
	/* vma_wants_writenotify(): hugetlb does no soft-dirty tracking */
	if (shared_vma && v->kind != PT_VMA_HUGETLB && (a & (A(SDT) | A(VMARO))))
		a |= A(WN);
	if (q.walked && q.present)
		a |= A(PEER);
	if (o.empty && o.raw && o.w->level[PT_PMD].state == PT_STATE_TABLE)
		a |= A(TABLE);
	if (o.empty)
		return a | A(EMPTY);
	if (!o.present)
		return a | A(UNSEEN);
	a |= A(PRESENT);
	if (o.w->pm.valid && o.w->pm.exclusive)
		a |= A(EXCL);
	if (o.w->pm.valid && o.w->pm.file_shared)
		a |= A(FILE);
	if (o.w->pm.valid && o.w->pm.soft_dirty && !o.raw)
		a |= A(SOFTDIRTY);
	if (o.has_pfn && q.walked && q.has_pfn && o.pfn == q.pfn)
		a |= A(SHARED);
	for (i = 0; o.w->pm.has_kpageflags && i < PT_ARRAY_SIZE(pt_kpf_atoms); i++)
		if (o.w->pm.kpageflags & (1ull << pt_kpf_atoms[i].kpf))
			a |= 1ull << pt_kpf_atoms[i].atom;
	if (!o.raw) {
		/* PAGEMAP_SCAN's PAGE_IS_HUGE tells a pte from a huge leaf */
		if (o.w->pm.scan_huge >= 0)
			a |= o.w->pm.scan_huge ? A(HUGE) : A(PTE);
		return a;
	}
	a |= o.level == PT_PTE ? A(PTE) : A(HUGE);
	/* the kernel's own helpers: pte_write(), pte_dirty() (x86: Dirty or
	 * SavedDirty; arm64: PTE_DIRTY, or DBM with RDONLY clear) */
	a |= o.d.sum.write ? A(RW) : A(RO);
	if (o.d.sum.dirty)
		a |= A(DIRTY);
	if (o.d.sum.soft_dirty)
		a |= A(SOFTDIRTY);
	for (i = 0; i < PT_ARRAY_SIZE(pt_bit_atoms); i++) {
		const struct pt_bit_atom *b = &pt_bit_atoms[i];

		if ((b->kinds & (1u << lab->kind)) && (!b->pte || o.level == PT_PTE) &&
		    (!b->at_base || s->addr == lab->base) && pt_seen_bit(lab, &o, b->bit) == b->value)
			a |= 1ull << b->atom;
	}
	return a;
}

uint64_t pt_atoms(const struct pt_lab *lab, const struct pt_lab_step *s,
		  const struct pt_lab_step *prev, int p)
{
	uint64_t a = pt_entry_atoms(lab, s, prev, p);

	/*
	 * MADV_COLLAPSE of a file range replaces its small page-cache pages
	 * with a THP and unmaps each from every mm that maps it
	 * (collapse_file()): a page-cache pte of the other process in the
	 * same 2 MiB goes too
	 */
	if (pt_step_event(s) == PT_R_COLLAPSE && !(a & (A(ACTOR) | A(FAILED))) &&
	    (a & A(FILE)) && (a & A(PTE)) && (a & (A(HIT) | A(INLEAF) | A(WIN) | A(NEAR))))
		a |= A(REPLACED);
	return a;
}

static bool pt_proc_huge(const struct pt_lab_proc *p)
{
	int l;

	if (!p->exists || !p->walked)
		return false;
	l = pt_walk_leaf(&p->walk);
	return l >= 0 && l < PT_PTE && p->walk.level[l].state == PT_STATE_LEAF;
}

/*
 * Processes whose watched range khugepaged collapsed during the step: a
 * pmd that was a table is a huge leaf, and no MADV_COLLAPSE asked for it.
 * A child has no entry before its fork: there, a huge leaf the parent does
 * not have, while khugepaged's count moved, is its collapse (fork copies
 * a pinned THP into 4 KiB pages, which khugepaged may collapse at once).
 */
unsigned int pt_background(const struct pt_lab_step *s, int ev)
{
	unsigned int bg = 0;
	size_t k;

	if (ev == PT_R_COLLAPSE)
		return 0;
	for (k = 0; k < s->nr_changes; k++)
		if (!strcmp(s->changes[k].what, "collapse"))
			bg |= s->changes[k].who == PT_WHO_CHILD ? 2u : 1u;
	if (ev == PT_R_FORK && !s->err[0] && s->khugepaged && pt_proc_huge(&s->proc[1]) &&
	    !pt_proc_huge(&s->proc[0]))
		bg |= 2u;
	return bg;
}

