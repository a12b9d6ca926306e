// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc source: what /proc/PID/pagemap, /proc/kpageflags,
 * /proc/kpagecount and /proc/PID/smaps say about a page
 * (Documentation/admin-guide/mm/pagemap.rst).  None of it is an entry's
 * raw bits: every level this source fills is marked derived.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "addr.h"
#include "pagemap_abi.h"
#include "pmrange.h"
#include "procfs.h"
#include "source.h"

#define PT_PAGE_SIZE 4096ull

void pt_pagemap_decode_word(uint64_t word, struct pt_pagemap *pm)
{
	memset(pm, 0, sizeof(*pm));
	pm->valid = true;
	pm->word = word;
	pm->present = word & PM_PRESENT;
	pm->swapped = word & PM_SWAP;
	pm->file_shared = word & PM_FILE;
	pm->exclusive = word & PM_MMAP_EXCLUSIVE;
	pm->soft_dirty = word & PM_SOFT_DIRTY;
	pm->uffd_wp = word & PM_UFFD_WP;
	pm->guard = word & PM_GUARD_REGION;
	pm->scan_huge = -1;
	if (pm->present) {
		pm->pfn = word & PM_PFN_MASK;
		pm->pfn_hidden = !pm->pfn;
	} else if (pm->swapped) {
		pm->swp_type = word & PM_SWP_TYPE_MASK;
		pm->swp_offset = (word & PM_PFN_MASK) >> PM_SWP_OFFSET_SHIFT;
	}
}

static int pt_pread_u64(int fd, uint64_t index, uint64_t *val)
{
	ssize_t n = pread(fd, val, sizeof(*val), (off_t)(index * sizeof(*val)));

	if (n == (ssize_t)sizeof(*val))
		return 0;
	return n < 0 ? -errno : -EIO;
}

static void pt_note_add(char *note, size_t len, const char *what)
{
	size_t n;

	if (!note || strstr(note, what))
		return;
	n = strlen(note);
	snprintf(note + n, len - n, "%s%s", n ? "; " : "", what);
}

static int pt_pagemap_scan_huge(int fd, uint64_t addr)
{
	struct page_region region = { 0 };
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = addr,
		.end = addr + PT_PAGE_SIZE,
		.vec = (uintptr_t)&region,
		.vec_len = 1,
		.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
		.return_mask = PAGE_IS_PRESENT | PAGE_IS_HUGE,
	};
	int n = ioctl(fd, PAGEMAP_SCAN, &arg);

	if (n < 0)
		return -1;
	return n == 1 && (region.categories & PAGE_IS_HUGE);
}

/* /proc/kpageflags or kpagecount, the source's, opened on first use. */
static int pt_kpage_fd(int *fd, const char *path)
{
	if (*fd == -2)
		*fd = open(path, O_RDONLY | O_CLOEXEC);
	return *fd;
}

static void pt_kpage_read(struct pt_source *s, uint64_t pfn, struct pt_pagemap *pm)
{
	if (pt_kpage_fd(&s->kpf_fd, "/proc/kpageflags") >= 0) {
		pm->has_kpageflags = !pt_pread_u64(s->kpf_fd, pfn, &pm->kpageflags);
		/* the KSM erratum's live check, at the time the flag was read */
		if (pm->has_kpageflags && (pm->kpageflags & (1ull << KPF_KSM)))
			pm->ksm = pt_ksm_seen_read();
	} else {
		pt_note_add(s->note, sizeof(s->note),
			    "/proc/kpageflags not readable (needs root)");
	}
	if (pt_kpage_fd(&s->kpc_fd, "/proc/kpagecount") >= 0)
		pm->has_kpagecount = !pt_pread_u64(s->kpc_fd, pfn, &pm->kpagecount);
}

int pt_maps_vma(pid_t pid, uint64_t addr, struct pt_vma *v, struct pt_intern *pool,
		struct pt_err *err)
{
	const struct pt_maps_row *row;
	struct pt_maps m;
	char near[400];
	int ret;

	ret = pt_maps_read(pid, &m, err);
	if (ret < 0)
		return ret;
	row = pt_maps_find(&m, addr);
	if (!row) {
		pt_maps_nearest(&m, addr, near, sizeof(near));
		pt_maps_free(&m);
		return pt_err_set(err, PT_NOT_MAPPED,
				  "0x%" PRIx64 " is not mapped in process %d; %s",
				  addr, (int)pid, near);
	}
	ret = pt_maps_parse_line(row->line, v, pool);
	pt_maps_free(&m);
	if (ret == -ENOMEM)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	if (ret < 0)
		return pt_err_set(err, PT_PROC_IO, "cannot parse /proc/%d/maps",
				  (int)pid);
	return 0;
}

int pt_pagemap_vma(pid_t pid, uint64_t addr, struct pt_vma *v,
		   struct pt_err *err)
{
	int ret = pt_maps_vma(pid, addr, v, NULL, err);

	return ret < 0 ? ret : pt_smaps_read(pid, v, err);
}

/* Reads the pagemap word at @addr and what it points to, into w->pm. */
static int pt_pagemap_page(struct pt_source *s, int fd, pid_t pid, uint64_t addr,
			   struct pt_walk *w, struct pt_err *err)
{
	uint64_t word;
	int ret;

	ret = pt_pread_u64(fd, addr / PT_PAGE_SIZE, &word);
	if (ret < 0) {
		/* an exited process's pagemap reads as end of file */
		if (pt_proc_check(pid, NULL) < 0)
			return pt_err_set(err, PT_EXITED,
					  "process %d exited while it was inspected",
					  (int)pid);
		return pt_proc_error(pid, "pagemap", -ret, err);
	}
	pt_pagemap_decode_word(word, &w->pm);
	if (w->pm.present || w->pm.swapped)
		w->pm.scan_huge = pt_pagemap_scan_huge(fd, addr);
	if (w->pm.pfn_hidden)
		pt_note_add(s->note, sizeof(s->note),
			    "PFNs read as 0 without CAP_SYS_ADMIN (run as root to see them)");
	if (w->pm.present && w->pm.pfn)
		pt_kpage_read(s, w->pm.pfn, &w->pm);
	return 0;
}

int pt_pagemap_fill(struct pt_source *s, pid_t pid, uint64_t addr,
		    struct pt_walk *w, struct pt_err *err)
{
	int ret;

	ret = pt_pagemap_vma(pid, addr, &w->vma, err);
	if (ret < 0)
		return ret;
	return pt_pagemap_read(s, pid, addr, w, err);
}

int pt_pagemap_read(struct pt_source *s, pid_t pid, uint64_t addr,
		    struct pt_walk *w, struct pt_err *err)
{
	int fd, ret;

	fd = pt_proc_open(pid, "pagemap", O_RDONLY, err);
	if (fd < 0)
		return fd;
	ret = pt_pagemap_page(s, fd, pid, addr, w, err);
	close(fd);
	return ret;
}

int pt_pagemap_word(pid_t pid, uint64_t addr, uint64_t *word, struct pt_err *err)
{
	int fd, ret;

	fd = pt_proc_open(pid, "pagemap", O_RDONLY, err);
	if (fd < 0)
		return fd;
	ret = pt_pread_u64(fd, addr / PT_PAGE_SIZE, word);
	close(fd);
	return ret < 0 ? pt_proc_error(pid, "pagemap", -ret, err) : 0;
}

/*
 * The words of PT_STRIP_PAGES pages around @addr in its mapping @v, in
 * one read: what the view's strip of shared and copied pages is drawn
 * from.  Pages outside the mapping read as 0; the view leaves them blank.
 */
static int pt_pagemap_strip(pid_t pid, uint64_t addr, const struct pt_vma *v,
			    struct pt_strip *st, struct pt_err *err)
{
	uint64_t page = addr & ~(PT_PAGE_SIZE - 1), span = PT_STRIP_PAGES * PT_PAGE_SIZE;
	ssize_t n;
	int fd;

	st->first = page >= span / 2 ? page - span / 2 : 0;
	/* inside the mapping as far as it goes: no blank half at its edge */
	if (st->first + span > v->end)
		st->first = v->end >= span ? v->end - span : 0;
	if (st->first < v->start)
		st->first = v->start;
	fd = pt_proc_open(pid, "pagemap", O_RDONLY, err);
	if (fd < 0)
		return fd;
	n = pread(fd, st->word, sizeof(st->word),
		  (off_t)(st->first / PT_PAGE_SIZE * sizeof(uint64_t)));
	close(fd);
	if (n < 0)
		return pt_proc_error(pid, "pagemap", errno, err);
	/* a short read: the end of the address space */
	st->nr = (unsigned int)((size_t)n / sizeof(uint64_t));
	return 0;
}

/* The level /proc says the page is mapped at: a guess made explicit. */
static enum pt_level pt_pagemap_level(const struct pt_walk *w)
{
	if (w->vma.kind == PT_VMA_HUGETLB) {
		if (w->vma.kernel_page_size >= (1ull << 30))
			return PT_PUD;
		if (w->vma.kernel_page_size >= (1ull << 21))
			return PT_PMD;
	}
	if (w->pm.scan_huge == 1)
		return PT_PMD;
	return PT_PTE;
}

static void pt_pagemap_derive(const struct pt_layout *ly, struct pt_walk *w)
{
	enum pt_level l;
	int i;

	for (i = 0; i < PT_NR_LEVELS; i++)
		w->level[i].state = PT_STATE_ABSENT;
	if (!w->pm.present && !w->pm.swapped)
		return;
	l = pt_pagemap_level(w);
	w->level[l].derived = true;
	w->level[l].va = w->addr & ~((1ull << ly->arch->shift(ly, l)) - 1);
	if (w->pm.present)
		w->level[l].state = PT_STATE_LEAF;
	else
		w->level[l].state = pt_swp_state(ly, w->pm.swp_type);
}

void pt_walk_init(const struct pt_source *s, pid_t pid, uint64_t addr,
		  struct pt_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->vma.path = "";
	w->pid = pid;
	w->addr = addr;
	w->source = s->name;
	memcpy(w->release, s->release, sizeof(w->release));
}

static int pt_pagemap_walk(struct pt_source *s, pid_t pid, uint64_t addr,
			   struct pt_walk *w, struct pt_err *err)
{
	int ret;

	pt_walk_init(s, pid, addr, w);
	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	ret = pt_pagemap_fill(s, pid, addr, w, err);
	if (ret < 0)
		return ret;
	ret = pt_pagemap_strip(pid, addr, &w->vma, &w->strip, err);
	if (ret < 0)
		return ret;
	pt_pagemap_derive(&s->layout, w);
	return 0;
}

/* The pages of one mapping inside [start, end): one call per entry. */
static int pt_pagemap_walk_vma(struct pt_source *s, int fd, pid_t pid,
			       const struct pt_vma *vma, uint64_t start,
			       uint64_t end, struct pt_walk *w, pt_walk_fn fn,
			       void *arg, struct pt_err *err)
{
	uint64_t addr = vma->start > start ? vma->start : start;
	int ret, leaf;

	while (addr < vma->end && addr < end) {
		pt_walk_init(s, pid, addr, w);
		w->vma = *vma;
		ret = pt_pagemap_page(s, fd, pid, addr, w, err);
		if (ret < 0)
			return ret;
		pt_pagemap_derive(&s->layout, w);
		addr += PT_PAGE_SIZE;
		leaf = pt_walk_leaf(w);
		if (leaf < 0)
			continue;
		/* one object per entry: skip the rest of a huge leaf */
		if (leaf != PT_PTE)
			addr = w->level[leaf].va +
			       (1ull << s->layout.arch->shift(&s->layout, leaf));
		ret = fn(w, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int pt_pagemap_walk_range(struct pt_source *s, pid_t pid,
				 uint64_t start, uint64_t end, pt_walk_fn fn,
				 void *arg, struct pt_err *err)
{
	/* the walks' paths, one each per VMA: the callback's to copy */
	struct pt_intern pool = { 0 };
	struct pt_vma *vma;
	struct pt_walk *w;
	struct pt_maps m;
	bool any = false;
	int fd, ret;
	size_t i;

	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	ret = pt_maps_read(pid, &m, err);
	if (ret < 0)
		return ret;
	fd = pt_proc_open(pid, "pagemap", O_RDONLY, err);
	if (fd < 0) {
		ret = fd;
		goto out_maps;
	}
	w = malloc(sizeof(*w));
	vma = malloc(sizeof(*vma));
	if (!w || !vma) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	for (i = 0; i < m.nr && !ret; i++) {
		if (m.rows[i].end <= start || m.rows[i].start >= end)
			continue;
		any = true;
		ret = pt_maps_parse_line(m.rows[i].line, vma, &pool);
		if (ret == -ENOMEM) {
			ret = pt_err_set(err, PT_NO_MEM, "out of memory");
			break;
		}
		if (ret < 0) {
			ret = pt_err_set(err, PT_PROC_IO,
					 "cannot parse /proc/%d/maps", (int)pid);
			break;
		}
		ret = pt_smaps_read(pid, vma, err);
		if (!ret)
			ret = pt_pagemap_walk_vma(s, fd, pid, vma, start, end,
						  w, fn, arg, err);
	}
	if (!any)
		ret = pt_err_set(err, PT_NOT_MAPPED,
				 "nothing is mapped in 0x%" PRIx64 "-0x%" PRIx64
				 " in process %d",
				 start, end, (int)pid);
out_free:
	free(vma);
	free(w);
	close(fd);
	pt_intern_free(&pool);
out_maps:
	pt_maps_free(&m);
	return ret;
}

static void pt_pagemap_close(struct pt_source *s)
{
	(void)s;
}

static const struct pt_source_ops pt_pagemap_ops = {
	.walk = pt_pagemap_walk,
	.walk_range = pt_pagemap_walk_range,
	.walk_batch = pt_pagemap_walk_batch,
	.close = pt_pagemap_close,
};

int pt_source_init_common(struct pt_source *s, struct pt_err *err)
{
	const struct pt_arch *arch;
	struct utsname u;

	memset(s, 0, sizeof(*s));
	s->kpf_fd = s->kpc_fd = -2;
	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	snprintf(s->release, sizeof(s->release), "%s", u.release);
	arch = pt_arch_find(u.machine);
	/* another architecture's table would decode every bit wrong */
	if (!arch)
		return pt_err_set(err, PT_USAGE, "no bit table for machine '%s'", u.machine);
	pt_layout_init(&s->layout, arch, pt_kver_parse(u.release));
	return 0;
}

int pt_pagemap_open(struct pt_source *s, struct pt_err *err)
{
	int ret = pt_source_init_common(s, err);

	if (ret < 0)
		return ret;
	s->name = "pagemap";
	s->ops = &pt_pagemap_ops;
	return 0;
}
