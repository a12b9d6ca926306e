// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "pagemap_abi.h"
#include "runs.h"

void pt_runs_init(struct pt_runs *rs, const struct pt_layout *ly,
		  unsigned int split, pt_run_fn emit, void *arg)
{
	int l;

	memset(rs, 0, sizeof(*rs));
	rs->ly = ly;
	for (l = 0; l < PT_NR_LEVELS; l++)
		rs->size[l] = pt_runs_entry_size(ly, l);
	rs->split = split;
	rs->emit = emit;
	rs->arg = arg;
}

uint64_t pt_runs_entry_size(const struct pt_layout *ly, unsigned int level)
{
	return 1ull << ly->arch->shift(ly, level);
}

uint64_t pt_range_entry_pfn(const struct pt_layout *ly,
			    const struct pt_range_entry *e)
{
	if (e->flags & PT_RE_RAW) {
		if (pt_state_shape(e->state) & PT_SHAPE_PRESENT)
			return ly->arch->pfn(ly, e->level, e->state, e->raw);
		return 0;
	}
	if ((e->flags & PT_RE_PM) && (e->pm & PM_PRESENT))
		return e->pm & PM_PFN_MASK;
	return 0;
}

/*
 * What of raw a run's entries share: all but the PFN or swap offset.  It
 * depends on the level, state and flags only, which every entry of a run
 * has in common, so it is worked out once per run.
 */
static uint64_t pt_runs_key_mask(const struct pt_layout *ly,
				 const struct pt_range_entry *e)
{
	if (!(e->flags & PT_RE_RAW))
		return 0;
	if (pt_state_shape(e->state) & PT_SHAPE_NONPRESENT)
		return ~ly->arch->swp_mask(ly);
	return ~ly->arch->pfn_mask(ly, e->level, e->state);
}

static bool pt_runs_joins(const struct pt_runs *rs,
			  const struct pt_range_entry *e, uint64_t pfn)
{
	const struct pt_run *r = &rs->cur;

	if (!rs->open || e->va != r->end || e->level != r->level ||
	    e->state != r->state || e->flags != r->flags ||
	    (e->raw & rs->key_mask) != r->raw_key ||
	    (e->pm & PM_FLAGS_MASK) != (r->pm & PM_FLAGS_MASK))
		return false;
	if ((rs->split & PT_RUNS_SPLIT_KPF) &&
	    (e->kpageflags != r->kpf_and || e->kpageflags != r->kpf_or ||
	     e->kpagecount != r->kpc_min || e->kpagecount != r->kpc_max))
		return false;
	if ((rs->split & PT_RUNS_SPLIT_PFN) &&
	    (!r->pfn_contig || pfn != r->next_pfn))
		return false;
	return true;
}

int pt_runs_flush(struct pt_runs *rs)
{
	if (!rs->open)
		return 0;
	rs->open = false;
	rs->nr_runs++;
	return rs->emit(&rs->cur, rs->arg);
}

/*
 * The entries of @e that join the open run, added to it; returns how
 * many.  pt_runs_add() for each in turn does the same; this is its loop
 * with the run's fields in registers, for the common case of a batch
 * that continues one run for thousands of entries.
 */
static size_t pt_runs_extend(struct pt_runs *rs, const struct pt_range_entry *e,
			     size_t nr)
{
	struct pt_run *r = &rs->cur;
	uint64_t size, pages, end, next, pmf, pfn;
	const struct pt_range_entry *x;
	bool contig, split_pfn, raw;
	size_t k;

	if (!rs->open || (rs->split & PT_RUNS_SPLIT_KPF))
		return 0;
	size = rs->size[r->level];
	pages = size / 4096;
	end = r->end;
	next = r->next_pfn;
	contig = r->pfn_contig;
	pmf = r->pm & PM_FLAGS_MASK;
	split_pfn = rs->split & PT_RUNS_SPLIT_PFN;
	raw = r->flags & PT_RE_RAW;
	for (k = 0; k < nr; k++) {
		x = &e[k];
		if (x->va != end || x->level != r->level ||
		    x->state != r->state || x->flags != r->flags ||
		    (x->raw & rs->key_mask) != r->raw_key ||
		    (x->pm & PM_FLAGS_MASK) != pmf)
			break;
		/* pt_range_entry_pfn(), its pagemap half inline */
		if (raw)
			pfn = pt_range_entry_pfn(rs->ly, x);
		else if ((x->flags & PT_RE_PM) && (x->pm & PM_PRESENT))
			pfn = x->pm & PM_PFN_MASK;
		else
			pfn = 0;
		if (split_pfn && (!contig || pfn != next))
			break;
		if (pfn != next)
			contig = false;
		next = pfn + pages * (1 + (uint64_t)x->more);
		contig &= !x->scattered;
		end += size * (1 + (uint64_t)x->more);
		r->kpf_and &= x->kpageflags;
		r->kpf_or |= x->kpageflags;
		if (x->kpagecount < r->kpc_min)
			r->kpc_min = x->kpagecount;
		if (x->kpagecount > r->kpc_max)
			r->kpc_max = x->kpagecount;
	}
	r->count += (end - r->end) / size;
	r->end = end;
	r->next_pfn = next;
	r->pfn_contig = contig;
	return k;
}

int pt_runs_add_batch(struct pt_runs *rs, const struct pt_range_entry *e,
		      size_t nr)
{
	size_t i = 0;
	int ret;

	while (i < nr) {
		i += pt_runs_extend(rs, e + i, nr - i);
		if (i == nr)
			break;
		ret = pt_runs_add(rs, &e[i++]);
		if (ret)
			return ret;
	}
	return 0;
}

int pt_runs_add(struct pt_runs *rs, const struct pt_range_entry *e)
{
	uint64_t n = 1 + (uint64_t)e->more;	/* a span's ptes */
	uint64_t size = rs->size[e->level];
	uint64_t pfn = pt_range_entry_pfn(rs->ly, e);
	struct pt_run *r = &rs->cur;
	int ret;

	if (pt_runs_joins(rs, e, pfn)) {
		r->end = e->va + size * n;
		r->count += n;
		if (pfn != r->next_pfn || e->scattered)
			r->pfn_contig = false;
		r->next_pfn = pfn + size / 4096 * n;
		r->kpf_and &= e->kpageflags;
		r->kpf_or |= e->kpageflags;
		if (e->kpagecount < r->kpc_min)
			r->kpc_min = e->kpagecount;
		if (e->kpagecount > r->kpc_max)
			r->kpc_max = e->kpagecount;
		return 0;
	}
	ret = pt_runs_flush(rs);
	if (ret)
		return ret;
	rs->open = true;
	rs->key_mask = pt_runs_key_mask(rs->ly, e);
	*r = (struct pt_run){
		.start = e->va,
		.end = e->va + size * n,
		.count = n,
		.level = e->level,
		.state = e->state,
		.flags = e->flags,
		.raw = e->raw,
		.raw_key = e->raw & rs->key_mask,
		.pm = e->pm,
		.first_pfn = pfn,
		.pfn_contig = pfn != 0 && !e->scattered,
		.next_pfn = pfn + size / 4096 * n,
		.kpf_and = e->kpageflags,
		.kpf_or = e->kpageflags,
		.kpc_min = e->kpagecount,
		.kpc_max = e->kpagecount,
	};
	return 0;
}
