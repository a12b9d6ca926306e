// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

void pt_source_close(struct pt_source *s)
{
	if (!s->ops)
		return;
	s->ops->close(s);
	s->ops = NULL;
	if (s->kpf_fd >= 0)
		close(s->kpf_fd);
	if (s->kpc_fd >= 0)
		close(s->kpc_fd);
	s->kpf_fd = s->kpc_fd = -2;
}

bool pt_range_entry_from_walk(const struct pt_walk *w,
			      struct pt_range_entry *e)
{
	int leaf = pt_walk_leaf(w);

	memset(e, 0, sizeof(*e));
	if (leaf < 0)
		return false;
	e->level = leaf;
	e->state = w->level[leaf].state;
	e->va = w->level[leaf].va;
	if (w->level[leaf].has_raw) {
		e->flags |= PT_RE_RAW | PT_RE_SCAN;
		e->raw = w->level[leaf].raw;
	} else if (w->pm.scan_huge >= 0) {
		e->flags |= PT_RE_SCAN;
	}
	if (w->pm.valid) {
		e->flags |= PT_RE_PM;
		e->pm = w->pm.word;
	}
	if (w->pm.has_kpageflags) {
		e->flags |= PT_RE_KPF;
		e->kpageflags = w->pm.kpageflags;
	}
	if (w->pm.has_kpagecount) {
		e->flags |= PT_RE_KPC;
		e->kpagecount = w->pm.kpagecount;
	}
	return true;
}

void pt_walk_from_range_entry(const struct pt_layout *ly,
			      const struct pt_range_entry *e,
			      struct pt_walk *w)
{
	int l;

	(void)ly;
	w->addr = e->va;
	for (l = 0; l < PT_NR_LEVELS; l++)
		w->level[l] = (struct pt_entry){ .state = PT_STATE_ABSENT };
	w->level[e->level].state = e->state;
	w->level[e->level].va = e->va;
	if (e->flags & PT_RE_RAW) {
		w->level[e->level].has_raw = true;
		w->level[e->level].raw = e->raw;
	} else {
		w->level[e->level].derived = true;
	}
	memset(&w->pm, 0, sizeof(w->pm));
	w->pm.scan_huge = -1;
	if (e->flags & PT_RE_PM)
		pt_pagemap_decode_word(e->pm, &w->pm);
	if (e->flags & PT_RE_SCAN)
		w->pm.scan_huge = e->level != PT_PTE;
	w->pm.has_kpageflags = e->flags & PT_RE_KPF;
	w->pm.kpageflags = e->kpageflags;
	w->pm.has_kpagecount = e->flags & PT_RE_KPC;
	w->pm.kpagecount = e->kpagecount;
}

struct pt_batch_adapter {
	pt_batch_fn fn;
	void *arg;
	uint64_t vma_start;
	bool any;
};

static int pt_batch_adapt(const struct pt_walk *w, void *arg)
{
	struct pt_batch_adapter *ad = arg;
	struct pt_range_entry e;
	int ret;

	if (!ad->any || w->vma.start != ad->vma_start) {
		ad->any = true;
		ad->vma_start = w->vma.start;
		ret = ad->fn(&w->vma, NULL, 0, ad->arg);
		if (ret)
			return ret;
	}
	if (!pt_range_entry_from_walk(w, &e))
		return 0;
	return ad->fn(&w->vma, &e, 1, ad->arg);
}

int pt_source_walk_batch(struct pt_source *s, pid_t pid, uint64_t start,
			 uint64_t end, unsigned int what, pt_batch_fn fn,
			 void *arg, struct pt_err *err)
{
	struct pt_batch_adapter ad = { .fn = fn, .arg = arg };

	if (s->ops->walk_batch)
		return s->ops->walk_batch(s, pid, start, end, what, fn, arg,
					  err);
	/* one walk per entry: empty mappings are not seen */
	return s->ops->walk_range(s, pid, start, end, pt_batch_adapt, &ad,
				  err);
}

void pt_source_free(struct pt_source *s)
{
	if (!s)
		return;
	pt_source_close(s);
	free(s);
}
