// SPDX-License-Identifier: GPL-2.0
/*
 * The module source: queries to ptdump_helper's walk file, its answers
 * (read by kmodtext.c) made walks and batches of range entries, with the
 * /proc facts beside them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grow.h"
#include "kmod.h"
#include "pagemap_abi.h"
#include "procfs.h"

/* room past the longest answer: one cut short would lack its "end" */
#define PT_KMOD_ANSWER_MAX (2 * PTDH_OUT_MAX)

struct pt_kmod_priv {
	int walk_fd;
	const struct pt_kmod_ask *ask;
	void *ctx;
	char *buf;		/* the last answer */
	size_t cap;
	int version;		/* the module's protocol, from its layout */
};

static ssize_t pt_read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			break;
		len += n;
	}
	return len;
}

static int pt_walk_send(void *ctx, const char *q, size_t len)
{
	struct pt_kmod_priv *priv = ctx;

	return write(priv->walk_fd, q, len) == (ssize_t)len ? 0 : -errno;
}

static ssize_t pt_walk_recv(void *ctx, char *buf, size_t cap)
{
	struct pt_kmod_priv *priv = ctx;

	return pt_read_all(priv->walk_fd, buf, cap);
}

/* the module's walk file */
static const struct pt_kmod_ask pt_kmod_walk_file = {
	.send = pt_walk_send,
	.recv = pt_walk_recv,
};

/* @why added to the source's note once, found again by @key */
static void pt_kmod_note_add(struct pt_source *s, const char *key, const char *why)
{
	size_t n = strlen(s->note);

	if (!strstr(s->note, key))
		snprintf(s->note + n, sizeof(s->note) - n, "%s%s", n ? "; " : "", why);
}

/*
 * The module's answer for @start (@single) or [@start, @end), in spans
 * when @spans and the module has them (protocol 6)
 */
static int pt_kmod_query(struct pt_source *s, pid_t pid, uint64_t start,
			 uint64_t end, bool single, bool spans,
			 struct pt_kmod_answer *a, struct pt_err *err)
{
	struct pt_kmod_priv *priv = s->priv;
	char q[96];
	ssize_t n;
	int len, ret;

	spans = spans && !single && priv->version >= 6;
	if (single)
		len = snprintf(q, sizeof(q), "%d %" PRIx64 "\n", (int)pid, start);
	else
		len = snprintf(q, sizeof(q), "%d %" PRIx64 " %" PRIx64 "%s\n",
			       (int)pid, start, end, spans ? " s" : "");
	ret = priv->ask->send(priv->ctx, q, len);
	if (ret) {
		switch (-ret) {
		case ESRCH:
			return pt_err_set(err, PT_EXITED,
					  "process %d exited while it was inspected",
					  (int)pid);
		case ENOENT:
			return pt_err_set(err, PT_NOT_MAPPED,
					  "0x%" PRIx64 " is not mapped in process %d",
					  start, (int)pid);
		case E2BIG:
		case EFBIG:
			return pt_err_set(err, PT_BAD_ADDR,
					  "range 0x%" PRIx64 "-0x%" PRIx64 " is too large for one query",
					  start, end);
		case EPERM:
		case EACCES:
			return pt_err_set(err, PT_PERM,
					  "ptdump_helper refused the query: run ptinspect as root");
		default:
			return pt_err_set(err, PT_KMOD_PROTO,
					  "ptdump_helper refused '%.*s': %s",
					  len - 1, q, strerror(-ret));
		}
	}
	n = priv->ask->recv(priv->ctx, priv->buf, priv->cap);
	if (n < 0)
		return pt_err_set(err, PT_KMOD_PROTO,
				  "cannot read ptdump_helper/walk: %s",
				  strerror((int)-n));
	ret = pt_kmod_parse_reuse(priv->buf, n, a);
	if (ret)
		return pt_err_set(err, PT_KMOD_PROTO,
				  "unreadable answer from ptdump_helper (%s)",
				  ret == -EPROTO ? "another protocol version" :
						   strerror(-ret));
	/* a span's other ptes are unknown: only where they are not needed */
	if (a->nr_spans && !spans)
		return pt_err_set(err, PT_KMOD_PROTO,
				  "unreadable answer from ptdump_helper (spans not asked for)");
	if (a->nr_unfollowed)
		pt_kmod_note_add(s, "shared hugetlb", "shared hugetlb pmd tables not read by ptdump_helper: it was built for a kernel without the IPI to every CPU after unsharing one (huge_pmd_unshare_flush()); the pmd and below are pagemap's");
	return 0;
}

/* Levels the module did not report stay ABSENT; the decoder names the rest. */
static void pt_kmod_set_level(const struct pt_layout *ly, struct pt_walk *w,
			      const struct pt_kmod_entry *e)
{
	struct pt_entry *le = &w->level[e->level];

	le->has_raw = true;
	le->raw = e->raw;
	le->va = e->va;
	le->derived = false;
	le->state = ly->arch->state(ly, e->level, e->raw);
	/* only the top level has two copies under PTI; the module reads the user's */
	le->user_copy = ly->pti && e->level == PT_PGD;
}

/*
 * Reading /proc/PID/smaps walks every VMA, VM_PFNMAP ones included
 * (walk_page_vma() has no walk_page_test(), fs/proc/task_mmu.c:1108 at
 * 6.12), and walk_pud_range() splits each huge pud on the way
 * (mm/pagewalk.c:193), which for a pfnmap zaps it; PAGEMAP_SCAN walks
 * pfnmaps too.  So the module's source names the VMA's flags from the
 * walk's own vm_flags and reads nothing of /proc that walks under a
 * huge pud: looking must not remove what is looked at.
 */
static bool pt_kmod_pud_leaf(const struct pt_walk *w)
{
	return w->level[PT_PUD].has_raw &&
	       (w->level[PT_PUD].state == PT_STATE_LEAF ||
		w->level[PT_PUD].state == PT_STATE_INVALID);
}

/*
 * The VMA: maps for its range and path, the walk's vm_flags for VmFlags.
 * The path goes to @pool (NULL: the program's, pt_maps_parse_line()).
 */
static int pt_kmod_vma(const struct pt_source *s, pid_t pid, uint64_t addr,
		       const struct pt_kmod_answer *a, struct pt_vma *v,
		       struct pt_intern *pool, struct pt_err *err)
{
	const struct pt_layout *ly = &s->layout;
	const struct pt_kmod_vma *kv = NULL;
	size_t i;
	int ret;

	ret = pt_maps_vma(pid, addr, v, pool, err);
	if (ret < 0)
		return ret;
	for (i = 0; i < a->nr_vmas; i++)
		if (addr >= a->vmas[i].start && addr < a->vmas[i].end)
			kv = &a->vmas[i];
	/* a module without vmflag lines: smaps, unless it would zap a pud */
	if (!kv || !ly->nr_vmflags)
		return 1;
	v->nr_flags = 0;
	v->has_flags = true;
	for (i = 0; i < ly->nr_vmflags && v->nr_flags < PT_MAX_VMFLAGS; i++)
		if (kv->flags & ly->vmflags[i].mask)
			memcpy(v->flags[v->nr_flags++], ly->vmflags[i].name, 3);
	v->kind = pt_vma_classify(v);
	return 0;
}

static void pt_kmod_note(struct pt_source *s)
{
	pt_kmod_note_add(s, "huge pud", "pagemap and smaps not read under a huge pud: reading them would split (zap) the pud (walk_pud_range() -> split_huge_pud())");
}

static int pt_kmod_walk_once(struct pt_source *s, pid_t pid, uint64_t addr,
			     struct pt_walk *w, struct pt_err *err)
{
	struct pt_kmod_answer a = { 0 };
	size_t i;
	int l, ret;

	pt_walk_init(s, pid, addr, w);
	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	/* the raw entries first: reading /proc may change them */
	ret = pt_kmod_query(s, pid, addr, addr + 1, true, false, &a, err);
	if (ret < 0)
		return ret;
	for (l = 0; l < PT_NR_LEVELS; l++)
		w->level[l].state = PT_STATE_ABSENT;
	for (i = 0; i < a.nr_entries; i++)
		pt_kmod_set_level(&s->layout, w, &a.entries[i]);
	ret = pt_kmod_vma(s, pid, addr, &a, &w->vma, NULL, err);
	pt_kmod_answer_free(&a);
	if (ret < 0)
		return ret;
	if (pt_kmod_pud_leaf(w)) {
		pt_kmod_note(s);
		return 0;
	}
	if (ret > 0) {
		ret = pt_smaps_read(pid, &w->vma, err);
		if (ret < 0)
			return ret;
	}
	return pt_pagemap_read(s, pid, addr, w, err);
}

/* Do the raw leaf and the pagemap word name the same page? */
static bool pt_kmod_walk_agrees(const struct pt_layout *ly, const struct pt_walk *w)
{
	struct pt_decoded d;
	int l = pt_walk_leaf(w);

	if (l < 0 || !w->level[l].has_raw || !w->pm.valid || !w->pm.present || w->pm.pfn_hidden)
		return true;
	pt_decode(ly, (enum pt_level)l, w->level[l].raw, &d);
	if (d.state != PT_STATE_LEAF || !d.has_pfn)
		return true;
	return pt_walk_page_pfn(w, l, d.pfn) == w->pm.pfn;
}

/*
 * The raw entries and the pagemap word are read one after the other, so a
 * page that moves in between (khugepaged collapsing the range, compaction)
 * gives a walk whose halves disagree.  Such a walk is taken again, up to
 * three times in all; a decoding bug disagrees every time.
 */
static int pt_kmod_walk(struct pt_source *s, pid_t pid, uint64_t addr,
			struct pt_walk *w, struct pt_err *err)
{
	int i, ret = 0;

	for (i = 0; i < 3; i++) {
		ret = pt_kmod_walk_once(s, pid, addr, w, err);
		if (ret < 0 || pt_kmod_walk_agrees(&s->layout, w))
			break;
	}
	return ret;
}

/*
 * A leaf, or the deepest entry at which the walk stopped.  A table entry
 * that ends an answer cut short is not: its entries come in the next
 * answer, which repeats it.
 */
static bool pt_kmod_is_last(const struct pt_layout *ly,
			    const struct pt_kmod_answer *a, size_t i)
{
	const struct pt_kmod_entry *e = &a->entries[i];

	if (ly->arch->state(ly, e->level, e->raw) != PT_STATE_TABLE)
		return true;
	if (i + 1 == a->nr_entries)
		return !a->has_more;
	return a->entries[i + 1].level <= e->level;
}

/* The entries above the one being reported, carried across answers. */
struct pt_kmod_path {
	struct pt_kmod_entry e[PT_NR_LEVELS];
	bool set[PT_NR_LEVELS];
	struct pt_vma vma;	/* the last entry's, read once per VMA */
	struct pt_intern pool;	/* the VMAs' paths, until the walk ends */
};

/* each pte of a run in turn (@k), then the next entry (@i) */
static void pt_kmod_next(const struct pt_kmod_answer *a, size_t *i,
			 unsigned int *k)
{
	if (++*k >= a->entries[*i].count) {
		*k = 0;
		(*i)++;
	}
}

/*
 * Every populated last entry of one answer becomes one walk, with the
 * latest entry of each level above.
 */
static int pt_kmod_answer_walks(struct pt_source *s, pid_t pid,
				const struct pt_kmod_answer *a,
				struct pt_kmod_path *path, struct pt_walk *w,
				pt_walk_fn fn, void *arg, struct pt_err *err)
{
	const struct pt_layout *ly = &s->layout;
	int l, ret = 0, vma_ret = 0;
	struct pt_kmod_entry one;
	const struct pt_kmod_entry *e;
	unsigned int k;
	enum pt_state st;
	size_t i;

	for (i = 0, k = 0; i < a->nr_entries && !ret; pt_kmod_next(a, &i, &k)) {
		e = &a->entries[i];
		if (e->count > 1) {
			pt_kmod_run_pte(e, k, &one);
			e = &one;
		}
		path->e[e->level] = *e;
		path->set[e->level] = true;
		for (l = e->level + 1; l < PT_NR_LEVELS; l++)
			path->set[l] = false;
		st = ly->arch->state(ly, e->level, e->raw);
		/* a table with nothing populated under it maps nothing */
		if (!pt_kmod_is_last(ly, a, i) || st == PT_STATE_NONE ||
		    st == PT_STATE_TABLE)
			continue;
		pt_walk_init(s, pid, e->va, w);
		for (l = 0; l < PT_NR_LEVELS; l++) {
			w->level[l].state = PT_STATE_ABSENT;
			if (path->set[l])
				pt_kmod_set_level(ly, w, &path->e[l]);
		}
		if (e->va < path->vma.start || e->va >= path->vma.end) {
			vma_ret = pt_kmod_vma(s, pid, e->va, a, &path->vma, &path->pool, err);
			if (vma_ret < 0)
				return vma_ret;
		}
		w->vma = path->vma;
		ret = vma_ret;
		if (pt_kmod_pud_leaf(w)) {
			pt_kmod_note(s);
			ret = 0;
		} else {
			if (ret > 0)
				ret = pt_smaps_read(pid, &w->vma, err);
			if (ret >= 0)
				ret = pt_pagemap_read(s, pid, e->va, w, err);
		}
		if (!ret)
			ret = fn(w, arg);
	}
	return ret;
}

/*
 * A range answer lists each entry once, in walk order.  The module answers
 * a large range in parts ("more ADDR"), dropping the target's mmap lock in
 * between: each part is reported before the next is asked for, so memory
 * follows one answer, not the range.
 */
static int pt_kmod_walk_range(struct pt_source *s, pid_t pid, uint64_t start,
			      uint64_t end, pt_walk_fn fn, void *arg,
			      struct pt_err *err)
{
	struct pt_kmod_path *path;
	struct pt_kmod_answer a = { 0 };
	struct pt_walk *w;
	int ret;

	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	w = malloc(sizeof(*w));
	path = calloc(1, sizeof(*path));
	if (!w || !path) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	do {
		ret = pt_kmod_query(s, pid, start, end, false, false, &a, err);
		if (ret < 0)
			break;
		ret = pt_kmod_answer_walks(s, pid, &a, path, w, fn, arg, err);
		start = a.more;
		if (!a.has_more)
			start = end;
		pt_kmod_answer_free(&a);
	} while (!ret && start < end);
out_free:
	if (path)
		pt_intern_free(&path->pool);
	free(path);
	free(w);
	return ret;
}

/*
 * pagemap words of one window of pages, read in bulk for the batches'
 * entries the module gave no word for: all of them from a module before
 * protocol 3, else huge leaves and what it leaves to pagemap
 * (man/ptdump_helper.4)
 */
#define PT_KMOD_PM_WINDOW 32768u
#define PT_KMOD_PM_UNOPENED (-2)
/* entries of one batch: runs are expanded into it, a batch at a time */
#define PT_KMOD_BATCH 4096u

struct pt_kmod_batch {
	struct pt_source *s;
	pid_t pid;
	unsigned int what;
	int pm_fd, kpf_fd, kpc_fd;
	uint64_t *words;	/* PT_KMOD_PM_WINDOW words from @win */
	uint64_t win, win_len;	/* first page's address, pages read */
	struct pt_range_entry *ents;
	size_t cap;
	struct pt_vma vma;
	struct pt_intern pool;	/* the VMAs' paths, until the walk ends */
	uint64_t vma_start;	/* of the last mapping reported, or 1 */
};

/*
 * The pagemap word of @va, from a window read in one pread, or alone for
 * a huge leaf (@alone): a window over huge leaves makes the kernel
 * compute a word for each of their pages, 512 a pmd, where the leaf
 * needs its first.  A plain pagemap read passes VM_PFNMAP mappings by
 * (walk_page_test()), so it never splits the huge pfnmap pud that smaps
 * or PAGEMAP_SCAN would.
 */
static bool pt_kmod_pm_word(struct pt_kmod_batch *b, uint64_t va, bool alone,
			    uint64_t *word)
{
	ssize_t n;

	if (b->pm_fd == PT_KMOD_PM_UNOPENED) {
		b->words = malloc(PT_KMOD_PM_WINDOW * 8);
		b->pm_fd = b->words ? pt_proc_open(b->pid, "pagemap", O_RDONLY, NULL) : -1;
	}
	if (b->pm_fd < 0)
		return false;
	if (va < b->win || va >= b->win + b->win_len * 4096) {
		if (alone)
			return pread(b->pm_fd, word, 8, (off_t)(va / 4096 * 8)) == 8;
		n = pread(b->pm_fd, b->words, PT_KMOD_PM_WINDOW * 8,
			  (off_t)(va / 4096 * 8));
		b->win = va & ~4095ull;
		b->win_len = n > 0 ? (uint64_t)n / 8 : 0;
		if (!b->win_len)
			return false;
	}
	*word = b->words[(va - b->win) / 4096];
	return true;
}

static bool pt_kmod_kpage(int fd, uint64_t pfn, uint64_t *v)
{
	return fd >= 0 && pread(fd, v, 8, (off_t)(pfn * 8)) == 8;
}

/*
 * The ptes of the run @ke, of state @st, with their words and nothing
 * else: the common case of a range, in as few steps a pte as can be.
 */
static int pt_kmod_batch_run(struct pt_kmod_batch *b,
			     const struct pt_kmod_entry *ke, enum pt_state st,
			     size_t *n, pt_batch_fn fn, void *arg)
{
	bool span = b->what & PT_RANGE_SPANS;
	struct pt_range_entry *e;
	unsigned int k;
	int ret;

	/* asked for spans: the module's run is one already */
	for (k = 0; k < ke->count; k += span ? ke->count : 1) {
		if (*n == b->cap) {
			ret = fn(&b->vma, b->ents, *n, arg);
			if (ret)
				return ret;
			*n = 0;
		}
		e = &b->ents[(*n)++];
		e->va = ke->va + (uint64_t)k * PT_KMOD_PAGE;
		e->raw = ke->raw + (uint64_t)k * PT_KMOD_PAGE;
		e->pm = ke->pm + k;
		e->kpageflags = 0;
		e->kpagecount = 0;
		e->level = ke->level;
		e->state = st;
		e->flags = PT_RE_RAW | PT_RE_SCAN | PT_RE_PM;
		e->scattered = ke->span;
		e->more = span ? ke->count - 1 : 0;
	}
	return 0;
}

/*
 * With PT_RANGE_SPANS, the ptes of @ke added to the span of pte leaves @e
 * when they follow it: the next page, the same bits but the PFN's (@keep
 * the others), the same pagemap flags, the PFNs stepping by one or not
 * (e->scattered), as the /proc source makes its spans.  Where PFNs do not
 * follow each other (the module's short lines), a range is then a few
 * spans and not an entry a line.  Only leaves join: a pte is one by its
 * present (x86_64) or valid (arm64) bit, outside the PFN, so ptes whose
 * other bits are @e's are leaves too.  Whether PFNs step is told by the
 * words, whose PFN field is one number: arm64's LPA2 splits a raw PFN.
 */
static bool pt_kmod_span_grow(struct pt_range_entry *e,
			      const struct pt_kmod_entry *ke, uint64_t keep)
{
	uint64_t n = 1 + (uint64_t)e->more;
	/* a span's ptes have its first's bits but the PFN's */
	uint64_t last = ke->span ? ke->raw :
			ke->raw + (uint64_t)(ke->count - 1) * PT_KMOD_PAGE;

	if (e->state != PT_STATE_LEAF || ke->level != PT_PTE ||
	    e->level != PT_PTE || !ke->has_pm || !(e->flags & PT_RE_PM) ||
	    ke->va != e->va + n * PT_KMOD_PAGE ||
	    ((ke->pm ^ e->pm) & PM_FLAGS_MASK) ||
	    ((ke->raw ^ e->raw) & keep) || ((last ^ e->raw) & keep) ||
	    n + ke->count > (uint64_t)UINT32_MAX + 1)
		return false;
	if (!e->scattered)
		e->scattered = ke->span || ke->pm != e->pm + n;
	e->more += ke->count;
	return true;
}

/*
 * The leaf and non-present entries of the answer's mapping @vi, as a
 * batch: they follow each other from entry *@next on (walk order).
 */
static int pt_kmod_batch_vma(struct pt_kmod_batch *b,
			     const struct pt_kmod_answer *a, size_t vi,
			     size_t *next, pt_batch_fn fn, void *arg,
			     struct pt_err *err)
{
	const struct pt_layout *ly = &b->s->layout;
	const struct pt_kmod_vma *kv = &a->vmas[vi];
	bool span = b->what & PT_RANGE_SPANS;
	uint64_t pfn, word, keep = 0;
	size_t i, n = 0;
	int ret;

	if (kv->start != b->vma_start) {
		ret = pt_kmod_vma(b->s, b->pid, kv->start, a, &b->vma, &b->pool, err);
		if (ret < 0)
			return ret;
		b->vma_start = kv->start;
		ret = fn(&b->vma, NULL, 0, arg);
		if (ret)
			return ret;
	}
	if (span)
		keep = ~ly->arch->pfn_mask(ly, PT_PTE, PT_STATE_LEAF);
	for (i = *next; i < a->nr_entries && a->entries[i].vma == vi; i++) {
		const struct pt_kmod_entry *ke = &a->entries[i];
		uint64_t step = (uint64_t)(ke->count - 1) * PT_KMOD_PAGE;
		enum pt_state st, last, sk;
		unsigned int k;

		if (span && n && pt_kmod_span_grow(&b->ents[n - 1], ke, keep))
			continue;
		/*
		 * Raw values only grow along a run, from its first to its
		 * last pte by whole pages: the bits above the PFN's are the
		 * same in all when they are at both ends, so is the state.
		 */
		st = ly->arch->state(ly, ke->level, ke->raw);
		last = step && !ke->span ?
			       ly->arch->state(ly, ke->level, ke->raw + step) : st;
		if (step && st == last && ke->has_pm && !(b->what & PT_RANGE_KPF) &&
		    st != PT_STATE_NONE && st != PT_STATE_TABLE && (span || !ke->span)) {
			ret = pt_kmod_batch_run(b, ke, st, &n, fn, arg);
			if (ret)
				return ret;
			continue;
		}
		/* only a batch of spans takes one: its other ptes are unknown */
		if (ke->span)
			return pt_err_set(err, PT_KMOD_PROTO,
					  "unreadable answer from ptdump_helper (a span of 0x%" PRIx64 " where none may be)",
					  ke->va);
		for (k = 0; k < ke->count; k++) {
			uint64_t raw = ke->raw + (uint64_t)k * PT_KMOD_PAGE;
			uint64_t va = ke->va + (uint64_t)k * PT_KMOD_PAGE;
			struct pt_range_entry *e;

			sk = st == last ? st : ly->arch->state(ly, ke->level, raw);
			if (sk == PT_STATE_NONE || sk == PT_STATE_TABLE)
				continue;
			if (n == b->cap) {
				ret = fn(&b->vma, b->ents, n, arg);
				if (ret)
					return ret;
				n = 0;
			}
			e = &b->ents[n++];
			*e = (struct pt_range_entry){
				.va = va,
				.raw = raw,
				.level = ke->level,
				.state = sk,
				.flags = PT_RE_RAW | PT_RE_SCAN,
			};
			if (ke->has_pm) {
				e->pm = ke->pm + k;
				e->flags |= PT_RE_PM;
			} else if (pt_kmod_pm_word(b, va, ke->level != PT_PTE,
						   &word)) {
				e->pm = word;
				e->flags |= PT_RE_PM;
			}
			if (sk == PT_STATE_LEAF && (b->what & PT_RANGE_KPF)) {
				pfn = ly->arch->pfn(ly, ke->level, sk, raw);
				if (pfn && pt_kmod_kpage(b->kpf_fd, pfn, &e->kpageflags))
					e->flags |= PT_RE_KPF;
				if (pfn && pt_kmod_kpage(b->kpc_fd, pfn, &e->kpagecount))
					e->flags |= PT_RE_KPC;
			}
		}
	}
	*next = i;
	return n ? fn(&b->vma, b->ents, n, arg) : 0;
}

/*
 * Batches straight from the module's answers, part after part: each
 * entry's raw bits, its pagemap word (the module's, or read in bulk),
 * kpageflags when asked.
 * VmFlags come from the walk's vma lines; smaps is never read.
 */
static int pt_kmod_walk_batch(struct pt_source *s, pid_t pid, uint64_t start,
			      uint64_t end, unsigned int what, pt_batch_fn fn,
			      void *arg, struct pt_err *err)
{
	struct pt_kmod_batch b = {
		.s = s, .pid = pid, .what = what, .vma_start = 1,
		.pm_fd = PT_KMOD_PM_UNOPENED, .kpf_fd = -1, .kpc_fd = -1,
	};
	uint64_t at = start;
	struct pt_kmod_answer a = { 0 };
	/* spans give each run and sum its first PFN, which is all they use */
	bool first = true, spans = (what & PT_RANGE_SPANS) && !(what & PT_RANGE_KPF);
	size_t vi, next;
	int ret;

	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	b.cap = PT_KMOD_BATCH;
	b.ents = malloc(b.cap * sizeof(*b.ents));
	if (!b.ents)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	if (what & PT_RANGE_KPF) {
		b.kpf_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
		b.kpc_fd = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	}
	do {
		ret = pt_kmod_query(s, pid, at, end, false, spans, &a, err);
		if (ret == -PT_NOT_MAPPED && first) {
			ret = pt_err_set(err, PT_NOT_MAPPED,
					 "nothing is mapped in 0x%" PRIx64 "-0x%" PRIx64 " in process %d",
					 start, end, (int)pid);
		} else if (ret == -PT_NOT_MAPPED) {
			/* the rest of the range was unmapped between two parts */
			ret = pt_err_set(err, PT_CHANGED,
					 "walk stopped at 0x%" PRIx64 ": nothing is mapped from there on any more",
					 at);
		} else if (ret == -PT_EXITED) {
			ret = pt_err_set(err, PT_EXITED,
					 "walk stopped at 0x%" PRIx64 ": process %d exited",
					 at, (int)pid);
		}
		if (ret < 0)
			break;
		first = false;
		for (vi = 0, next = 0; vi < a.nr_vmas && !ret; vi++)
			ret = pt_kmod_batch_vma(&b, &a, vi, &next, fn, arg, err);
		at = a.has_more ? a.more : end;
	} while (!ret && at < end);
	/* the arrays of the last part, which the next one reused */
	pt_kmod_answer_free(&a);
	if (b.pm_fd >= 0)
		close(b.pm_fd);
	if (b.kpf_fd >= 0)
		close(b.kpf_fd);
	if (b.kpc_fd >= 0)
		close(b.kpc_fd);
	free(b.ents);
	free(b.words);
	pt_intern_free(&b.pool);
	return ret;
}

static void pt_kmod_close(struct pt_source *s)
{
	struct pt_kmod_priv *priv = s->priv;

	if (!priv)
		return;
	if (priv->walk_fd >= 0)
		close(priv->walk_fd);
	free(priv->buf);
	free(priv);
	s->priv = NULL;
}

static const struct pt_source_ops pt_kmod_ops = {
	.walk = pt_kmod_walk,
	.walk_range = pt_kmod_walk_range,
	.walk_batch = pt_kmod_walk_batch,
	.close = pt_kmod_close,
};

static const char *pt_kmod_dir(void)
{
	const char *d = getenv("PTINSPECT_KMOD_DIR");

	return d && *d ? d : PT_KMOD_DIR;
}

static int pt_kmod_errno(int errnum, const char *file, struct pt_err *err)
{
	if (errnum == EACCES || errnum == EPERM)
		return pt_err_set(err, PT_PERM,
				  "cannot open %s/%s: permission denied; run ptinspect as root (sudo)",
				  pt_kmod_dir(), file);
	return pt_err_set(err, PT_NO_KMOD,
			  "the ptdump_helper module is not loaded (%s/%s: %s); load it with: sudo make -C kmod load",
			  pt_kmod_dir(), file, strerror(errnum));
}

/* A source with the module's protocol over @ask, its layout already read. */
static int pt_kmod_setup(struct pt_source *s, struct pt_kmod_priv *priv,
			 const char *layout, size_t len, struct pt_err *err)
{
	int ret = pt_source_init_common(s, err);

	if (ret < 0)
		return ret;
	s->name = "kmod";
	s->ops = &pt_kmod_ops;
	if (pt_kmod_parse_layout(layout, len, &s->layout)) {
		s->ops = NULL;
		return pt_err_set(err, PT_KMOD_PROTO,
				  "unreadable %s/layout (another protocol version?)",
				  pt_kmod_dir());
	}
	priv->version = pt_kmod_version(layout, len);
	s->priv = priv;
	return 0;
}

int pt_kmod_open_ask(struct pt_source *s, const char *layout, size_t len,
		     const struct pt_kmod_ask *ask, void *ctx,
		     struct pt_err *err)
{
	struct pt_kmod_priv *priv;
	int ret;

	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	priv->walk_fd = -1;
	priv->ask = ask;
	priv->ctx = ctx;
	priv->cap = PT_KMOD_ANSWER_MAX;
	priv->buf = malloc(priv->cap);
	ret = priv->buf ? pt_kmod_setup(s, priv, layout, len, err) :
			  pt_err_set(err, PT_NO_MEM, "out of memory");
	if (ret) {
		free(priv->buf);
		free(priv);
	}
	return ret;
}

int pt_kmod_open(struct pt_source *s, struct pt_err *err)
{
	struct pt_kmod_priv *priv;
	char path[512];
	ssize_t n;
	int fd, ret;

	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	priv->walk_fd = -1;
	priv->ask = &pt_kmod_walk_file;
	priv->ctx = priv;
	priv->cap = PT_KMOD_ANSWER_MAX;
	priv->buf = malloc(priv->cap);
	if (!priv->buf) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	snprintf(path, sizeof(path), "%s/layout", pt_kmod_dir());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = pt_kmod_errno(errno, "layout", err);
		goto out_free;
	}
	n = pt_read_all(fd, priv->buf, priv->cap);
	close(fd);
	if (n < 0) {
		ret = pt_err_set(err, PT_KMOD_PROTO, "cannot read %s: %s",
				 path, strerror((int)-n));
		goto out_free;
	}
	ret = pt_kmod_setup(s, priv, priv->buf, n, err);
	if (ret)
		goto out_free;
	snprintf(path, sizeof(path), "%s/walk", pt_kmod_dir());
	priv->walk_fd = open(path, O_RDWR | O_CLOEXEC);
	if (priv->walk_fd < 0) {
		ret = pt_kmod_errno(errno, "walk", err);
		goto out_free;
	}
	return 0;
out_free:
	s->priv = NULL;
	free(priv->buf);
	free(priv);
	s->ops = NULL;
	return ret;
}
