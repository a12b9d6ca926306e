// SPDX-License-Identifier: GPL-2.0
/*
 * A process's mappings with their per-mapping sums: one batched range
 * walk over the whole process (the engine of dump --range all, summed by
 * pt_vma_sum_add()), and beside a child both pagemaps read in chunks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "grow.h"
#include "pagemap_abi.h"
#include "pmrange.h"
#include "procfs.h"
#include "runs.h"
#include "vmalist.h"

struct pt_vl_walk {
	struct pt_vmalist *l;
	uint64_t size[PT_NR_LEVELS];
	/* beside a child, on the pagemap source: its words, read per batch */
	bool cmp;
	struct pt_pm_chunk cc;
	struct pt_err cerr;
	int cret;
};

static void pt_sizes(const struct pt_layout *ly, uint64_t *size)
{
	unsigned int i;

	for (i = 0; i < PT_NR_LEVELS; i++)
		size[i] = pt_runs_entry_size(ly, i);
}

/*
 * The child's words for the pages of @e[0..nr) (the parent's present
 * leaves of one batch, in address order): shared when the child maps the
 * same PFN, copied when another.  The parent's pagemap is read once, by
 * the batched walk itself; the child's over the stretch the entries span
 * (a huge leaf's pages are its PFN onwards), so the whole comparison
 * costs the two pagemap reads a comparison cannot do without.
 */
static int pt_vl_batch_child(struct pt_vl_walk *w, const struct pt_vma *vma,
			     struct pt_vmalist_row *r,
			     const struct pt_range_entry *e, size_t nr)
{
	uint64_t chunk = pt_pm_chunk_pages() * 4096, base = 0, top = 0;
	uint64_t a, end, pfn, c, t;
	size_t i, j;

	/* the gate area lies above task_size: pagemap has no words there */
	if (vma->start > PT_USER_ADDR_MAX)
		return 0;
	for (i = 0; i < nr; i++) {
		const struct pt_range_entry *x = &e[i];

		if (!(x->flags & PT_RE_PM) || !(x->pm & PM_PRESENT))
			continue;
		pfn = x->pm & PM_PFN_MASK;
		a = x->va;
		end = x->va + w->size[x->level];
		if (a < vma->start) {
			pfn += pfn ? (vma->start - a) / 4096 : 0;
			a = vma->start;
		}
		if (end > vma->end)
			end = vma->end;
		for (; a < end; a += 4096, pfn += pfn ? 1 : 0) {
			if (a < base || a >= top) {
				/* up to the last entry that starts within a chunk */
				t = a + chunk;
				for (j = i; j < nr && e[j].va < t; j++)
					;
				top = e[j - 1].va + w->size[e[j - 1].level];
				if (top > t)
					top = t;
				if (top > vma->end)
					top = vma->end;
				base = a;
				w->cret = pt_pm_chunk_words(&w->cc, base, top, &w->cerr);
				if (w->cret)
					return w->cret;
			}
			c = w->cc.words[(a - base) / 4096];
			if (!(c & PM_PRESENT))
				continue;
			if (!pfn || !(c & PM_PFN_MASK))
				w->l->pfn_hidden = true;
			else if (pfn == (c & PM_PFN_MASK))
				r->shared_pages++;
			else
				r->copied_pages++;
		}
	}
	return 0;
}

static int pt_vl_batch(const struct pt_vma *vma, const struct pt_range_entry *e,
		       size_t nr, void *arg)
{
	struct pt_vl_walk *w = arg;
	struct pt_vmalist *l = w->l;
	struct pt_vmalist_row *r;

	if (!l->nr || l->rows[l->nr - 1].start != vma->start) {
		if (pt_grow(&l->rows, &l->cap, l->nr, sizeof(*l->rows), 64) < 0)
			return -PT_NO_MEM;
		r = &l->rows[l->nr];
		memset(r, 0, sizeof(*r));
		r->path = strdup(vma->path);
		if (!r->path)
			return -PT_NO_MEM;
		l->nr++;
		r->start = vma->start;
		r->end = vma->end;
		r->pgoff = vma->pgoff;
		memcpy(r->perms, vma->perms, sizeof(r->perms));
		r->kind = vma->kind;
	}
	r = &l->rows[l->nr - 1];
	pt_vma_sum_add(&r->sum, w->size, e, nr);
	if (w->cmp && nr)
		return pt_vl_batch_child(w, vma, r, e, nr);
	return 0;
}

/* Same PFN on both sides: still shared since the fork; another: copied. */
static int pt_vl_child(struct pt_vmalist *l, struct pt_err *err)
{
	struct pt_pm_chunk pc, cc;
	uint64_t step = pt_pm_chunk_pages() * 4096, a, ae, p, c;
	size_t k, i;
	int ret;

	ret = pt_pm_chunk_open(&pc, l->pid, err);
	if (ret)
		return ret;
	ret = pt_pm_chunk_open(&cc, l->child, err);
	if (ret)
		goto out_parent;
	for (k = 0; k < l->nr; k++) {
		struct pt_vmalist_row *r = &l->rows[k];

		/*
		 * the gate area lies above task_size, where pagemap reads
		 * nothing (fs/proc/task_mmu.c:2024 in 6.12, get_gate_vma at
		 * :139): no page of it is a process's own anyway
		 */
		if (!strcmp(r->path, "[vsyscall]"))
			continue;
		for (a = r->start; a < r->end; a = ae) {
			/* only pages present on both sides count: skip the
			 * parent's holes (an ASan shadow is terabytes of them)
			 */
			ret = pt_pm_chunk_next(&pc, a, r->end, &a, err);
			if (ret)
				goto out_child;
			if (a >= r->end)
				break;
			ae = (a + step) & ~(step - 1);
			if (ae > r->end)
				ae = r->end;
			ret = pt_pm_chunk_read(&pc, a, ae, err);
			if (!ret)
				ret = pt_pm_chunk_read(&cc, a, ae, err);
			if (ret)
				goto out_child;
			for (i = 0; a + i * 4096 < ae; i++) {
				p = pc.words[i];
				c = cc.words[i];
				if (!(p & PM_PRESENT) || !(c & PM_PRESENT))
					continue;
				if (!(p & PM_PFN_MASK) || !(c & PM_PFN_MASK))
					l->pfn_hidden = true;
				else if ((p & PM_PFN_MASK) == (c & PM_PFN_MASK))
					r->shared_pages++;
				else
					r->copied_pages++;
			}
		}
	}
out_child:
	pt_pm_chunk_close(&cc);
out_parent:
	pt_pm_chunk_close(&pc);
	return ret;
}

int pt_vmalist_read(struct pt_source *src, pid_t pid, pid_t child,
		    struct pt_vmalist *l, struct pt_err *err)
{
	struct pt_vl_walk w = { .l = l };
	struct pt_err werr = { 0 };
	struct pt_maps m;
	int ret;

	memset(l, 0, sizeof(*l));
	l->pid = pid;
	l->child = child;
	pt_sizes(&src->layout, w.size);
	ret = pt_maps_read(pid, &m, err);
	if (ret < 0)
		return ret;
	if (!m.nr) {
		pt_maps_free(&m);
		return 0;
	}
	/* the module's walk has no child: then both pagemaps, after it */
	w.cmp = child && !strcmp(src->name, "pagemap");
	if (w.cmp) {
		ret = pt_pm_chunk_open(&w.cc, child, err);
		if (ret < 0) {
			pt_maps_free(&m);
			return ret;
		}
	}
	/* the sums take a row of ptes whole; beside a child, each page */
	ret = pt_source_walk_batch(src, pid, m.rows[0].start,
				   m.rows[m.nr - 1].end,
				   w.cmp ? 0 : PT_RANGE_SPANS, pt_vl_batch, &w,
				   &werr);
	pt_maps_free(&m);
	if (w.cmp)
		pt_pm_chunk_close(&w.cc);
	if (w.cret) {
		/* the child went away (or /proc refused it): no half answer */
		*err = w.cerr;
		ret = w.cret;
		goto out_free;
	}
	if (ret == -PT_EXITED || ret == -PT_CHANGED) {
		/* what was read before the process moved is still shown */
		l->stopped = ret;
		snprintf(l->stopped_msg, sizeof(l->stopped_msg), "%s",
			 werr.msg);
		ret = 0;
	} else if (ret < 0) {
		if (werr.msg[0])
			*err = werr;
		else
			pt_err_set(err, -ret, "%s", pt_status_msg(-ret));
		goto out_free;
	}
	if (child && !w.cmp) {
		ret = pt_vl_child(l, err);
		if (ret < 0)
			goto out_free;
	}
	return 0;
out_free:
	pt_vmalist_free(l);
	return ret;
}

void pt_vmalist_free(struct pt_vmalist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->rows[i].path);
	free(l->rows);
	l->rows = NULL;
	l->nr = l->cap = 0;
}

long pt_vmalist_find(const struct pt_vmalist *l, uint64_t addr)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (addr >= l->rows[i].start && addr < l->rows[i].end)
			return (long)i;
	return -1;
}

static const char *const pt_vl_sort_names[PT_VL_SORT_NR] = {
#define PT_VMALIST_SORT_NAME(id, name, help) [PT_VL_SORT_##id] = name,
	PT_VMALIST_SORTS(PT_VMALIST_SORT_NAME)
#undef PT_VMALIST_SORT_NAME
};

int pt_vmalist_sort_parse(const char *name)
{
	int k;

	for (k = 0; k < PT_VL_SORT_NR; k++)
		if (!strcmp(name, pt_vl_sort_names[k]))
			return k;
	return -1;
}

const char *pt_vmalist_sort_name(enum pt_vmalist_sort k)
{
	return k < PT_VL_SORT_NR ? pt_vl_sort_names[k] : "?";
}

const char *pt_vmalist_sort_names(char *buf, size_t len)
{
	size_t n = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < PT_VL_SORT_NR && n < len; k++)
		n += snprintf(buf + n, len - n, "%s%s", k ? ", " : "",
			      pt_vl_sort_names[k]);
	return buf;
}

static uint64_t pt_vl_key(const struct pt_vmalist_row *r,
			  enum pt_vmalist_sort k)
{
	switch (k) {
	case PT_VL_SORT_SIZE:
		return r->end - r->start;
	case PT_VL_SORT_POPULATED:
		return r->sum.present_bytes;
	case PT_VL_SORT_SHARED:
		return r->shared_pages;
	case PT_VL_SORT_COPIED:
		return r->copied_pages;
	default:
		return 0;
	}
}

/* glibc's qsort_r: the key is an argument, not a global */
static int pt_vl_cmp(const void *a, const void *b, void *arg)
{
	const struct pt_vmalist_row *x = a, *y = b;
	enum pt_vmalist_sort k = *(const enum pt_vmalist_sort *)arg;
	uint64_t kx = pt_vl_key(x, k), ky = pt_vl_key(y, k);

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

void pt_vmalist_sort(struct pt_vmalist *l, enum pt_vmalist_sort k)
{
	l->sort = k;
	if (l->nr > 1)
		qsort_r(l->rows, l->nr, sizeof(*l->rows), pt_vl_cmp, &k);
}

void pt_vmalist_cmp_totals(const struct pt_vmalist *l, uint64_t *shared,
			   uint64_t *copied)
{
	size_t i;

	*shared = *copied = 0;
	for (i = 0; i < l->nr; i++) {
		*shared += l->rows[i].shared_pages;
		*copied += l->rows[i].copied_pages;
	}
}

struct pt_vl_step {
	uint64_t size[PT_NR_LEVELS];
	uint64_t page; /* the page holding the address */
	int dir;
	bool found;
	uint64_t va;
};

static int pt_vl_step_batch(const struct pt_vma *vma,
			    const struct pt_range_entry *e, size_t nr,
			    void *arg)
{
	struct pt_vl_step *s = arg;
	size_t i;

	(void)vma;
	for (i = 0; i < nr; i++) {
		/* a huge leaf is reported at its start, maybe below the walk's */
		if (s->dir > 0 && e[i].va > s->page) {
			s->found = true;
			s->va = e[i].va;
			return 1;
		}
		if (s->dir < 0 && e[i].va + s->size[e[i].level] <= s->page) {
			s->found = true;
			s->va = e[i].va;
		}
	}
	return 0;
}

int pt_vmalist_step(struct pt_source *src, pid_t pid, uint64_t addr, int dir,
		    uint64_t *found, struct pt_err *err)
{
	struct pt_vl_step s = { .page = addr & ~4095ull, .dir = dir };
	struct pt_intern pool = { 0 };	/* v's path, not kept */
	struct pt_vma *v;
	uint64_t start, end;
	int ret;

	v = malloc(sizeof(*v));
	if (!v)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	ret = pt_maps_vma(pid, addr, v, &pool, err);
	if (ret < 0)
		goto out_free;
	pt_sizes(&src->layout, s.size);
	start = dir > 0 ? s.page + 4096 : v->start;
	end = dir > 0 ? v->end : s.page;
	if (start < end) {
		ret = pt_source_walk_batch(src, pid, start, end, 0,
					   pt_vl_step_batch, &s, err);
		if (ret < 0)
			goto out_free;
	}
	ret = 0;
	if (s.found)
		*found = s.va;
	else
		ret = pt_err_set(err, PT_NOT_MAPPED,
				 "nothing populated %s 0x%llx in 0x%llx-0x%llx",
				 dir > 0 ? "after" : "before",
				 (unsigned long long)addr,
				 (unsigned long long)v->start,
				 (unsigned long long)v->end);
out_free:
	pt_intern_free(&pool);
	free(v);
	return ret;
}
