// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc source over a range, in bulk: pagemap in chunks of
 * PT_CHUNK_PAGES words, one PAGEMAP_SCAN per chunk for the huge leaves,
 * kpageflags and kpagecount for runs of contiguous PFNs, smaps read once
 * forward.  A page at a time costs 3 preads and an ioctl per 4 KiB; this
 * costs about one pread per 128 MiB.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "pagemap_abi.h"
#include "pmrange.h"
#include "procfs.h"

#define PT_PAGE 4096ull
#define PT_CHUNK_PAGES 32768ull	/* 256 KiB of words, 128 MiB of addresses */
#define PT_CHUNK_BYTES (PT_CHUNK_PAGES * PT_PAGE)
#define PT_SCAN_VEC 512
#define PT_KPAGE_MAX 4096	/* PFNs per kpageflags pread */
#define PT_ENTS_BATCH 2048	/* entries a call of the batch callback */

struct pt_pmr {
	struct pt_source *s;
	pid_t pid;
	unsigned int what;
	int pm_fd, maps_fd, kpf_fd, kpc_fd;
	bool scan_ok;		/* PAGEMAP_SCAN works on this kernel */
	int query_ok;		/* PROCMAP_QUERY: -1 unknown, 0, 1 */
	uint64_t *words;
	uint8_t *huge;
	struct pt_range_entry *ents;
	uint64_t *kbuf;
	struct page_region *vec;
	struct pt_smaps_cursor smaps;
	struct pt_vma vma;
	struct pt_intern pool;	/* the VMAs' paths, until the walk ends */
	uint64_t skip_until;	/* the end of the last huge leaf emitted */
	struct pt_err *err;
};

static int pt_pmr_stopped(struct pt_pmr *r, uint64_t addr, enum pt_status st,
			  const char *why)
{
	return pt_err_set(r->err, st, "walk stopped at 0x%" PRIx64 ": %s",
			  addr, why);
}

/*
 * After a short read or a failed ioctl: did the process go away?  Only
 * /proc/PID/stat says so; an errno alone does not (ESRCH also comes from
 * an mm being torn down, EFAULT from an address past the task size, EIO
 * from a /proc file whose task changed its credentials), and a living
 * process is never reported as exited.
 */
static int pt_pmr_gone(struct pt_pmr *r, uint64_t addr, const char *file,
		       int errnum)
{
	char why[200];

	if (pt_proc_check(r->pid, NULL) < 0) {
		snprintf(why, sizeof(why), "process %d exited", (int)r->pid);
		return pt_pmr_stopped(r, addr, PT_EXITED, why);
	}
	switch (errnum) {
	case 0:
		snprintf(why, sizeof(why),
			 "short read of /proc/%d/%s (the process is still running)",
			 (int)r->pid, file);
		break;
	case ESRCH:
		snprintf(why, sizeof(why),
			 "/proc/%d/%s: no address space (ESRCH) while the process is still running",
			 (int)r->pid, file);
		break;
	case EFAULT:
		snprintf(why, sizeof(why),
			 "/proc/%d/%s refused the address (EFAULT: past the task size?)",
			 (int)r->pid, file);
		break;
	case EIO:
		snprintf(why, sizeof(why),
			 "/proc/%d/%s: I/O error (EIO: the process changed credentials or is exiting)",
			 (int)r->pid, file);
		break;
	default:
		return pt_proc_error(r->pid, file, errnum, r->err);
	}
	return pt_pmr_stopped(r, addr, PT_PROC_IO, why);
}

static char pt_query_perm(uint64_t flags, uint64_t bit, char c)
{
	return flags & bit ? c : '-';
}

/*
 * Is r->vma still what maps said?  PROCMAP_QUERY answers for one address
 * in O(log n); older kernels re-read maps.  0, or the stop status.
 */
static int pt_pmr_check_vma(struct pt_pmr *r, uint64_t addr)
{
	struct procmap_query q = {
		.size = sizeof(q),
		.query_addr = r->vma.start,
	};
	const struct pt_maps_row *row;
	struct pt_intern pool = { 0 };	/* now's path, not kept */
	struct pt_maps m;
	struct pt_vma now;
	char why[200], perms[5];
	bool same;

	if (r->query_ok != 0) {
		if (!ioctl(r->maps_fd, PROCMAP_QUERY, &q)) {
			r->query_ok = 1;
			perms[0] = pt_query_perm(q.vma_flags, PROCMAP_QUERY_VMA_READABLE, 'r');
			perms[1] = pt_query_perm(q.vma_flags, PROCMAP_QUERY_VMA_WRITABLE, 'w');
			perms[2] = pt_query_perm(q.vma_flags, PROCMAP_QUERY_VMA_EXECUTABLE, 'x');
			perms[3] = q.vma_flags & PROCMAP_QUERY_VMA_SHARED ? 's' : 'p';
			perms[4] = '\0';
			same = q.vma_start == r->vma.start &&
			       q.vma_end == r->vma.end &&
			       !memcmp(perms, r->vma.perms, 4);
			goto out_same;
		}
		if (errno == ENOENT) {
			same = false;
			now.start = 0;
			goto out_unmapped;
		}
		if (errno != ENOTTY && errno != EINVAL)
			return pt_pmr_gone(r, addr, "maps", errno);
		r->query_ok = 0;
	}
	if (pt_maps_read(r->pid, &m, NULL) < 0)
		return pt_pmr_gone(r, addr, "maps", 0);
	row = pt_maps_find(&m, r->vma.start);
	same = row && !pt_maps_parse_line(row->line, &now, &pool) &&
	       now.start == r->vma.start && now.end == r->vma.end &&
	       !memcmp(now.perms, r->vma.perms, 4);
	pt_intern_free(&pool);
	q.vma_start = row ? now.start : 0;
	q.vma_end = row ? now.end : 0;
	pt_maps_free(&m);
	if (!row) {
		now.start = 0;
		goto out_unmapped;
	}
out_same:
	if (same)
		return 0;
	snprintf(why, sizeof(why),
		 "0x%" PRIx64 "-0x%" PRIx64 " %s changed to 0x%" PRIx64
		 "-0x%" PRIx64 " (remapped or mprotected) in process %d",
		 r->vma.start, r->vma.end, r->vma.perms, q.vma_start,
		 q.vma_end, (int)r->pid);
	return pt_pmr_stopped(r, addr, PT_CHANGED, why);
out_unmapped:
	if (pt_proc_check(r->pid, NULL) < 0)
		return pt_pmr_gone(r, addr, "maps", 0);
	snprintf(why, sizeof(why), "0x%" PRIx64 "-0x%" PRIx64
		 " was unmapped by process %d", r->vma.start, r->vma.end,
		 (int)r->pid);
	return pt_pmr_stopped(r, addr, PT_CHANGED, why);
}

/*
 * Marks r->huge[i] for the pages of [start, end) a huge leaf maps, i
 * counted from @base; true in *found when there is one.
 */
static int pt_pmr_scan_at(struct pt_pmr *r, uint64_t base, uint64_t start,
			  uint64_t end, bool *found)
{
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = start,
		.end = end,
		.vec = (uintptr_t)r->vec,
		.vec_len = PT_SCAN_VEC,
		.category_mask = PAGE_IS_HUGE,
		.return_mask = PAGE_IS_HUGE,
	};
	uint64_t a, b;
	int n, i;

	if (!r->scan_ok)
		return 0;
	/* a full vector ends the call early: go on from walk_end */
	while (arg.start < end) {
		n = ioctl(r->pm_fd, PAGEMAP_SCAN, &arg);
		if (n < 0) {
			if (errno == ENOTTY || errno == EINVAL) {
				r->scan_ok = false;
				return 0;
			}
			return pt_pmr_gone(r, arg.start, "pagemap", errno);
		}
		for (i = 0; i < n; i++) {
			a = r->vec[i].start < start ? start : r->vec[i].start;
			b = r->vec[i].end > end ? end : r->vec[i].end;
			if (a < b) {
				memset(r->huge + (a - base) / PT_PAGE, 1,
				       (b - a) / PT_PAGE);
				*found = true;
			}
		}
		if (!arg.walk_end || arg.walk_end <= arg.start)
			break;
		arg.start = arg.walk_end;
	}
	return 0;
}

/* Marks r->huge[i] for the pages of [start, end) a huge leaf maps. */
static int pt_pmr_scan(struct pt_pmr *r, uint64_t start, uint64_t end,
		       bool *found)
{
	memset(r->huge, 0, (end - start) / PT_PAGE);
	return pt_pmr_scan_at(r, start, start, end, found);
}

/*
 * Could a huge leaf map @w[0..n), the words of one huge page's worth of
 * addresses from its @off-th page on?  Only when every page is populated
 * and the visible PFNs are one aligned run, as a leaf's are; a hole or a
 * PFN out of step, which the words of 4 KiB pages nearly always show in
 * their first few, rules it out without asking the kernel.
 */
static bool pt_pmr_may_be_huge(const uint64_t *w, size_t n, uint64_t off,
			       uint64_t pages)
{
	uint64_t pfn, base = 0;
	bool have = false;
	size_t k;

	for (k = 0; k < n; k++) {
		if (!(w[k] & (PM_PRESENT | PM_SWAP)))
			return false;
		pfn = w[k] & PM_PFN_MASK;
		if (!(w[k] & PM_PRESENT) || !pfn)
			continue;
		if (pfn < off + k || (pfn - off - k) % pages ||
		    (have && pfn - off - k != base))
			return false;
		base = pfn - off - k;
		have = true;
	}
	return true;
}

/*
 * r->huge for [start, end) once r->words holds its words: PAGEMAP_SCAN
 * over the stretches that could be huge leaves only, which for a range
 * of 4 KiB pages is none (the scan walks every pte, about a tenth of
 * the pagemap read itself).
 */
static int pt_pmr_scan_words(struct pt_pmr *r, uint64_t start, uint64_t end,
			     bool *found)
{
	const struct pt_layout *ly = &r->s->layout;
	uint64_t hsize = 1ull << ly->arch->shift(ly, PT_PMD);
	uint64_t b, lo, hi, from = 0, to = 0;
	int ret;

	memset(r->huge, 0, (end - start) / PT_PAGE);
	for (b = start & ~(hsize - 1); b < end; b += hsize) {
		lo = b < start ? start : b;
		hi = b + hsize > end ? end : b + hsize;
		if (!pt_pmr_may_be_huge(r->words + (lo - start) / PT_PAGE,
					(hi - lo) / PT_PAGE, (lo - b) / PT_PAGE,
					hsize / PT_PAGE))
			continue;
		if (lo == to) {
			to = hi;
			continue;
		}
		if (to) {
			ret = pt_pmr_scan_at(r, start, from, to, found);
			if (ret)
				return ret;
		}
		from = lo;
		to = hi;
	}
	return to ? pt_pmr_scan_at(r, start, from, to, found) : 0;
}

/* The words of [start, +nr pages) into @dst. */
static int pt_pmr_pread(struct pt_pmr *r, uint64_t *dst, uint64_t start,
			size_t nr)
{
	size_t done = 0;
	ssize_t n;

	while (done < nr * sizeof(uint64_t)) {
		n = pread(r->pm_fd, (char *)dst + done,
			  nr * sizeof(uint64_t) - done,
			  (off_t)(start / PT_PAGE * sizeof(uint64_t) + done));
		if (n < 0 && errno == EINTR)
			continue;
		/* end of file: the process exited, or past its task size */
		if (!n && !pt_proc_check(r->pid, NULL)) {
			memset((char *)dst + done, 0,
			       nr * sizeof(uint64_t) - done);
			return 0;
		}
		if (n <= 0)
			return pt_pmr_gone(r, start + done / 8 * PT_PAGE,
					   "pagemap", n < 0 ? errno : 0);
		done += n;
	}
	return 0;
}

/* /proc/kpageflags or kpagecount for runs of contiguous PFNs. */
static void pt_pmr_kpage(struct pt_pmr *r, int fd, size_t nr, bool count)
{
	struct pt_range_entry *e = r->ents;
	size_t i = 0, j, k;
	uint64_t pfn;
	ssize_t n;

	while (i < nr) {
		pfn = e[i].pm & PM_PFN_MASK;
		if (!(e[i].pm & PM_PRESENT) || !pfn) {
			i++;
			continue;
		}
		for (j = i + 1; j < nr && j - i < PT_KPAGE_MAX; j++)
			if (!(e[j].pm & PM_PRESENT) ||
			    (e[j].pm & PM_PFN_MASK) != pfn + (j - i))
				break;
		n = pread(fd, r->kbuf, (j - i) * sizeof(uint64_t),
			  (off_t)(pfn * sizeof(uint64_t)));
		for (k = 0; n > 0 && k < (size_t)n / sizeof(uint64_t); k++) {
			if (count) {
				e[i + k].kpagecount = r->kbuf[k];
				e[i + k].flags |= PT_RE_KPC;
			} else {
				e[i + k].kpageflags = r->kbuf[k];
				e[i + k].flags |= PT_RE_KPF;
			}
		}
		i = j;
	}
}

static void pt_pmr_note(struct pt_pmr *r, const char *what)
{
	char *note = r->s->note;
	size_t n = strlen(note);

	if (!strstr(note, what))
		snprintf(note + n, sizeof(r->s->note) - n, "%s%s",
			 n ? "; " : "", what);
}

static enum pt_level pt_pmr_huge_level(const struct pt_vma *v)
{
	return v->kernel_page_size >= (1ull << 30) ? PT_PUD : PT_PMD;
}

/* The hidden PFN note, kpageflags and kpagecount of r->ents[0..nr), to @fn. */
static int pt_pmr_flush(struct pt_pmr *r, size_t nr, bool hidden,
			pt_batch_fn fn, void *arg)
{
	if (hidden)
		pt_pmr_note(r, "PFNs read as 0 without CAP_SYS_ADMIN (run as root to see them)");
	if (r->what & PT_RANGE_KPF) {
		if (r->kpf_fd >= 0)
			pt_pmr_kpage(r, r->kpf_fd, nr, false);
		else
			pt_pmr_note(r, "/proc/kpageflags not readable (needs root)");
		if (r->kpc_fd >= 0)
			pt_pmr_kpage(r, r->kpc_fd, nr, true);
	}
	return nr ? fn(&r->vma, r->ents, nr, arg) : 0;
}

/* A present page whose PFN reads as 0 in [c, ce)? */
static bool pt_pmr_hidden(const struct pt_pmr *r, uint64_t c, uint64_t ce)
{
	size_t i, n = (ce - c) / PT_PAGE;

	for (i = 0; i < n; i++)
		if ((r->words[i] & PM_PRESENT) && !(r->words[i] & PM_PFN_MASK))
			return true;
	return false;
}

/*
 * The span from the @i-th page of the chunk, 4 KiB and present, in @e:
 * the pages after it whose words carry the same flags, and whether
 * their PFNs step by one.  A run of 4 KiB pages is one entry, not one
 * a page, whichever PFNs the kernel handed out.
 */
static size_t pt_pmr_span(const struct pt_pmr *r, size_t i, size_t n,
			  struct pt_range_entry *e)
{
	uint64_t w = r->words[i], f = w & PM_FLAGS_MASK;
	bool step = true;
	size_t j;

	for (j = i + 1; j < n && !r->huge[j] &&
	     (r->words[j] & PM_FLAGS_MASK) == f; j++)
		step &= r->words[j] == w + (j - i);
	e->more = j - i - 1;
	e->scattered = !step;
	return e->more;
}

/*
 * The entries of one chunk [c, ce) to @fn, PT_ENTS_BATCH at a time: a
 * batch that stays in the cache between being written here and read by
 * @fn, where a chunk's worth (1.5 MiB) did not.
 */
static int pt_pmr_entries(struct pt_pmr *r, uint64_t c, uint64_t ce,
			  pt_batch_fn fn, void *arg)
{
	const struct pt_layout *ly = &r->s->layout;
	size_t i, n = (ce - c) / PT_PAGE, nr = 0;
	bool hugetlb = r->vma.kind == PT_VMA_HUGETLB &&
		       r->vma.kernel_page_size > PT_PAGE;
	enum pt_level hl = pt_pmr_huge_level(&r->vma);
	uint64_t hsize = 1ull << ly->arch->shift(ly, hl);
	uint8_t flags = PT_RE_PM | (r->scan_ok ? PT_RE_SCAN : 0);
	struct pt_range_entry *e;
	bool spans = r->what & PT_RANGE_SPANS, hidden = false;
	uint64_t w, a;
	int ret;

	/* the notes in the order a whole chunk at once gave them */
	if (r->what & PT_RANGE_KPF)
		hidden = pt_pmr_hidden(r, c, ce);
	for (i = 0; i < n; i++) {
		a = c + i * PT_PAGE;
		w = r->words[i];
		if (a < r->skip_until || !(w & (PM_PRESENT | PM_SWAP)))
			continue;
		if (nr == PT_ENTS_BATCH) {
			ret = pt_pmr_flush(r, nr, hidden, fn, arg);
			if (ret)
				return ret;
			nr = 0;
		}
		e = &r->ents[nr++];
		e->flags = flags;
		e->more = 0;
		e->scattered = 0;
		e->raw = 0;
		e->kpageflags = 0;
		e->kpagecount = 0;
		if (r->huge[i] || hugetlb) {
			e->level = hl;
			e->va = a & ~(hsize - 1);
			r->skip_until = e->va + hsize;
			/* the word of the leaf's first page */
			if ((w & PM_PRESENT) && (w & PM_PFN_MASK))
				w -= (a - e->va) / PT_PAGE;
			/* on past its pages, whose words were not read */
			i = (r->skip_until - c) / PT_PAGE - 1;
		} else {
			e->level = PT_PTE;
			e->va = a;
			if (spans && (w & PM_PRESENT))
				i += pt_pmr_span(r, i, n, e);
		}
		e->pm = w;
		if (w & PM_PRESENT) {
			e->state = PT_STATE_LEAF;
			hidden |= !(w & PM_PFN_MASK);
		} else {
			e->state = pt_swp_state(ly, w & PM_SWP_TYPE_MASK);
		}
	}
	return pt_pmr_flush(r, nr, hidden, fn, arg);
}

/* The VMA of a maps line, with smaps or PROCMAP_QUERY for page size. */
static int pt_pmr_vma(struct pt_pmr *r, const char *line)
{
	struct procmap_query q = { .size = sizeof(q) };
	int ret;

	ret = pt_maps_parse_line(line, &r->vma, &r->pool);
	if (ret == -ENOMEM)
		return pt_err_set(r->err, PT_NO_MEM, "out of memory");
	if (ret < 0)
		return pt_err_set(r->err, PT_PROC_IO,
				  "cannot parse /proc/%d/maps", (int)r->pid);
	if (r->what & PT_RANGE_VMFLAGS || r->query_ok == 0)
		return pt_smaps_cursor_read(&r->smaps, &r->vma);
	q.query_addr = r->vma.start;
	if (!ioctl(r->maps_fd, PROCMAP_QUERY, &q)) {
		r->query_ok = 1;
		r->vma.kernel_page_size = q.vma_page_size;
		/* only hugetlb (and device DAX) map in larger pages */
		if (q.vma_page_size > PT_PAGE)
			r->vma.kind = PT_VMA_HUGETLB;
		return 0;
	}
	if (errno != ENOTTY && errno != EINVAL)
		return 0;	/* gone: the walk's own check says so */
	r->query_ok = 0;
	return pt_smaps_cursor_read(&r->smaps, &r->vma);
}

/*
 * The words of chunk [c, ce) that entries need: every 4 KiB page outside
 * huge leaves (one pread per stretch), one word per huge leaf (its first
 * page in the chunk; pt_pmr_entries() skips the rest).  A gigabyte of
 * THP is 512 words to copy, not 262144.
 */
static int pt_pmr_read_words(struct pt_pmr *r, uint64_t c, uint64_t ce)
{
	size_t i = 0, j, n = (ce - c) / PT_PAGE;
	uint64_t size = 1ull << r->s->layout.arch->shift(&r->s->layout,
							 pt_pmr_huge_level(&r->vma));
	uint64_t a;
	int ret;

	while (i < n) {
		a = c + i * PT_PAGE;
		if (r->huge[i]) {
			j = ((a & ~(size - 1)) + size - c) / PT_PAGE;
			ret = pt_pmr_pread(r, r->words + i, a, 1);
		} else {
			for (j = i + 1; j < n && !r->huge[j]; j++)
				;
			ret = pt_pmr_pread(r, r->words + i, a, j - i);
		}
		if (ret)
			return ret;
		i = j < n ? j : n;
	}
	return 0;
}

/*
 * The first populated (present or swapped) page at or after @from, below
 * @to, or @to: one PAGEMAP_SCAN that stops at the first page it finds.
 * The kernel's walk passes empty page tables a pmd or a pud at a time,
 * so a sparse mapping (an ASan shadow, a reserved heap) costs its
 * populated tables, not a word per page.  Without PAGEMAP_SCAN: @from.
 */
static int pt_pmr_next_populated(struct pt_pmr *r, uint64_t from,
				 uint64_t to, uint64_t *next)
{
	struct page_region reg;
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = from,
		.end = to,
		.vec = (uintptr_t)&reg,
		.vec_len = 1,
		.max_pages = 1,
		.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
		.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
	};
	int n;

	*next = from;
	if (!r->scan_ok)
		return 0;
	n = ioctl(r->pm_fd, PAGEMAP_SCAN, &arg);
	if (n < 0) {
		if (errno == ENOTTY || errno == EINVAL) {
			r->scan_ok = false;
			return 0;
		}
		return pt_pmr_gone(r, from, "pagemap", errno);
	}
	*next = n > 0 && reg.start > from ? reg.start : n > 0 ? from : to;
	return 0;
}

/*
 * Which comes first in a chunk, PAGEMAP_SCAN for its huge leaves or the
 * words: after a chunk with a huge leaf, the scan, so that a leaf costs
 * one word to read and not 512; otherwise the words, and the scan only
 * where they could be a leaf's (pt_pmr_scan_words()).  The first chunk
 * of a mapping that spans several is scanned first, as THP is likeliest
 * in a large one; hugetlb always.
 */
static int pt_pmr_chunk(struct pt_pmr *r, uint64_t c, uint64_t ce,
			bool *scan_first)
{
	bool found = false;
	int ret;

	if (*scan_first || r->vma.kind == PT_VMA_HUGETLB) {
		ret = pt_pmr_scan(r, c, ce, &found);
		if (!ret)
			ret = pt_pmr_read_words(r, c, ce);
	} else {
		ret = pt_pmr_pread(r, r->words, c, (ce - c) / PT_PAGE);
		if (!ret)
			ret = pt_pmr_scan_words(r, c, ce, &found);
	}
	*scan_first = found;
	return ret;
}

static int pt_pmr_walk_vma(struct pt_pmr *r, uint64_t start, uint64_t end,
			   pt_batch_fn fn, void *arg)
{
	uint64_t a0 = r->vma.start > start ? r->vma.start : start;
	uint64_t a1 = r->vma.end < end ? r->vma.end : end;
	bool scan_first = a1 - a0 > PT_CHUNK_BYTES;
	uint64_t c, ce;
	int ret;

	ret = fn(&r->vma, NULL, 0, arg);
	if (ret)
		return ret;
	/* [vsyscall]: above TASK_SIZE, pagemap has no words for it */
	if (a0 > PT_USER_ADDR_MAX)
		return 0;
	r->skip_until = 0;
	for (c = a0; c < a1; c = ce) {
		ret = pt_pmr_next_populated(r, c, a1, &c);
		if (ret)
			return ret;
		if (c >= a1)
			/* nothing more: true if the mapping is still there */
			return pt_pmr_check_vma(r, a1 - PT_PAGE);
		ce = (c + PT_CHUNK_BYTES) & ~(PT_CHUNK_BYTES - 1);
		if (ce > a1)
			ce = a1;
		ret = pt_pmr_chunk(r, c, ce, &scan_first);
		/* read first, check after: what was read is still valid */
		if (!ret)
			ret = pt_pmr_check_vma(r, c);
		if (!ret)
			ret = pt_pmr_entries(r, c, ce, fn, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int pt_pmr_alloc(struct pt_pmr *r)
{
	r->words = malloc(PT_CHUNK_PAGES * sizeof(*r->words));
	r->huge = malloc(PT_CHUNK_PAGES);
	r->ents = malloc(PT_ENTS_BATCH * sizeof(*r->ents));
	r->kbuf = malloc(PT_KPAGE_MAX * sizeof(*r->kbuf));
	r->vec = malloc(PT_SCAN_VEC * sizeof(*r->vec));
	if (!r->words || !r->huge || !r->ents || !r->kbuf || !r->vec)
		return pt_err_set(r->err, PT_NO_MEM, "out of memory");
	return 0;
}

static void pt_pmr_free(struct pt_pmr *r)
{
	free(r->words);
	free(r->huge);
	free(r->ents);
	free(r->kbuf);
	free(r->vec);
	pt_smaps_cursor_close(&r->smaps);
	pt_intern_free(&r->pool);
	if (r->pm_fd >= 0)
		close(r->pm_fd);
	if (r->maps_fd >= 0)
		close(r->maps_fd);
	if (r->kpf_fd >= 0)
		close(r->kpf_fd);
	if (r->kpc_fd >= 0)
		close(r->kpc_fd);
}

int pt_pagemap_walk_batch(struct pt_source *s, pid_t pid, uint64_t start,
			  uint64_t end, unsigned int what, pt_batch_fn fn,
			  void *arg, struct pt_err *err)
{
	struct pt_pmr r = {
		.s = s, .pid = pid, .what = what, .err = err,
		.pm_fd = -1, .maps_fd = -1, .kpf_fd = -1, .kpc_fd = -1,
		.scan_ok = true, .query_ok = -1,
	};
	struct pt_maps m = { 0 };
	bool any = false;
	size_t i;
	int ret;

	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	ret = pt_pmr_alloc(&r);
	if (ret < 0)
		goto out_free;
	r.pm_fd = pt_proc_open(pid, "pagemap", O_RDONLY, err);
	if (r.pm_fd < 0) {
		ret = r.pm_fd;
		goto out_free;
	}
	r.maps_fd = pt_proc_open(pid, "maps", O_RDONLY, err);
	if (r.maps_fd < 0) {
		ret = r.maps_fd;
		goto out_free;
	}
	pt_smaps_cursor_init(&r.smaps, pid);
	if (what & PT_RANGE_KPF) {
		r.kpf_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
		r.kpc_fd = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	}
	ret = pt_maps_read(pid, &m, err);
	if (ret < 0)
		goto out_free;
	for (i = 0; i < m.nr && !ret; i++) {
		if (m.rows[i].end <= start || m.rows[i].start >= end)
			continue;
		any = true;
		ret = pt_pmr_vma(&r, m.rows[i].line);
		if (!ret)
			ret = pt_pmr_walk_vma(&r, start, end, fn, arg);
	}
	if (!any && !ret)
		ret = pt_err_set(err, PT_NOT_MAPPED,
				 "nothing is mapped in 0x%" PRIx64 "-0x%" PRIx64
				 " in process %d",
				 start, end, (int)pid);
out_free:
	pt_maps_free(&m);
	pt_pmr_free(&r);
	return ret;
}

int pt_pm_chunk_open(struct pt_pm_chunk *c, pid_t pid, struct pt_err *err)
{
	memset(c, 0, sizeof(*c));
	c->pid = pid;
	c->scan_ok = true;
	c->words = malloc(PT_CHUNK_PAGES * sizeof(*c->words));
	c->huge = malloc(PT_CHUNK_PAGES);
	c->vec = malloc(PT_SCAN_VEC * sizeof(struct page_region));
	c->fd = -1;
	c->maps_fd = -1;
	c->query_ok = -1;
	if (!c->words || !c->huge || !c->vec) {
		pt_pm_chunk_close(c);
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	c->fd = pt_proc_open(pid, "pagemap", O_RDONLY, err);
	if (c->fd >= 0)
		c->maps_fd = pt_proc_open(pid, "maps", O_RDONLY, err);
	if (c->fd < 0 || c->maps_fd < 0) {
		int ret = c->fd < 0 ? c->fd : c->maps_fd;

		pt_pm_chunk_close(c);
		return ret;
	}
	return 0;
}

void pt_pm_chunk_close(struct pt_pm_chunk *c)
{
	free(c->words);
	free(c->huge);
	free(c->vec);
	if (c->fd >= 0)
		close(c->fd);
	if (c->maps_fd >= 0)
		close(c->maps_fd);
	c->maps_fd = -1;
	c->words = NULL;
	c->huge = NULL;
	c->vec = NULL;
	c->fd = -1;
}

size_t pt_pm_chunk_pages(void)
{
	return PT_CHUNK_PAGES;
}

int pt_pm_chunk_read(struct pt_pm_chunk *c, uint64_t start, uint64_t end,
		     struct pt_err *err)
{
	struct pt_pmr r = {
		.pid = c->pid, .pm_fd = c->fd, .err = err,
		.scan_ok = c->scan_ok, .words = c->words, .huge = c->huge,
		.vec = c->vec,
	};
	bool found = false;
	int ret;

	ret = pt_pmr_pread(&r, r.words, start, (end - start) / PT_PAGE);
	if (!ret)
		ret = pt_pmr_scan(&r, start, end, &found);
	c->scan_ok = r.scan_ok;
	return ret;
}

int pt_pm_chunk_words(struct pt_pm_chunk *c, uint64_t start, uint64_t end,
		      struct pt_err *err)
{
	struct pt_pmr r = { .pid = c->pid, .pm_fd = c->fd, .err = err };

	return pt_pmr_pread(&r, c->words, start, (end - start) / PT_PAGE);
}

int pt_pm_chunk_check(struct pt_pm_chunk *c, const struct pt_vma *v,
		      uint64_t addr, struct pt_err *err)
{
	struct pt_pmr r = {
		.pid = c->pid, .pm_fd = c->fd, .maps_fd = c->maps_fd,
		.query_ok = c->query_ok, .vma = *v, .err = err,
	};
	int ret;

	ret = pt_pmr_check_vma(&r, addr);
	c->query_ok = r.query_ok;
	return ret;
}

int pt_pm_chunk_next(struct pt_pm_chunk *c, uint64_t from, uint64_t to,
		     uint64_t *next, struct pt_err *err)
{
	struct pt_pmr r = {
		.pid = c->pid, .pm_fd = c->fd, .err = err,
		.scan_ok = c->scan_ok,
	};
	int ret;

	ret = pt_pmr_next_populated(&r, from, to, next);
	c->scan_ok = r.scan_ok;
	return ret;
}
