// SPDX-License-Identifier: GPL-2.0
/*
 * ptinspect dump --range: runs (the default), one entry per object
 * (--each), a whole process (--range all), parent against child (--child).
 */
#include <inttypes.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "jsonfield.h"
#include "kpageflags.h"
#include "pagemap_abi.h"
#include "procfs.h"
#include "rangedump.h"
#include "report.h"
#include "runs.h"

struct pt_sum_row {
	uint64_t start, end;
	char perms[5];
	enum pt_vma_kind kind;
	char *path;
	struct pt_vma_sum sum;
};

struct pt_rd {
	const struct pt_range_req *o;
	struct pt_source *src;
	const struct pt_layout *ly;
	struct pt_json json;
	FILE *out;		/* runs: stdout, or a temporary file for all */
	struct pt_runs runs;
	bool in_vma;
	struct pt_vma vma;	/* the current VMA's */
	/* vma's path: the walk's own goes with it, the last VMA ends after */
	struct pt_intern paths;
	struct pt_vma_sum sum;
	struct pt_sum_row *rows;	/* --range all: one per VMA */
	size_t nr_rows, cap_rows;
	struct pt_walk *w;	/* --each */
	int ksm;		/* --each: KSM's state, read once (enum pt_ksm_seen) */
	uint64_t nr_entries, nr_vmas;
	struct pt_table tab;	/* the runs' columns */
	bool table_only;	/* -o, --noheadings or --raw: the runs alone */
};

static const char *pt_pm_bits(uint64_t pm, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s%s",
		 pm & PM_PRESENT ? "present" : "swapped",
		 pm & PM_MMAP_EXCLUSIVE ? " exclusive" : " shared",
		 pm & PM_FILE ? " file/shared" : "",
		 pm & PM_SOFT_DIRTY ? " soft-dirty" : "",
		 pm & PM_UFFD_WP ? " uffd-wp" : "",
		 pm & PM_GUARD_REGION ? " guard" : "", "");
	return buf;
}

static void pt_kpf_list(uint64_t flags, char *buf, size_t len)
{
	const char *name;
	size_t n = 0;
	unsigned int b;

	buf[0] = '\0';
	for (b = 0; b < 64 && n + 1 < len; b++) {
		if (!(flags & (1ull << b)))
			continue;
		name = pt_kpf_name_in(b, flags);
		if (name)
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "", name);
		else
			n += snprintf(buf + n, len - n, "%skpf%u", n ? " " : "", b);
	}
}

/*
 * The columns of a run (-o, --output help, the man page): @ctx is the
 * dump's struct pt_rd, for the layout and the mapping the run is in.
 */
#define PT_RUN(v) const struct pt_run *r = (v)
#define PT_RD(v) const struct pt_rd *rd = (v)

static enum pt_cell_role pt_rc_start(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	snprintf(b, n, "0x%016" PRIx64, r->start);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_end(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	snprintf(b, n, "0x%016" PRIx64, r->end);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_entries(char *b, size_t n, const void *row,
				       const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	snprintf(b, n, "%" PRIu64, r->count);
	return PT_CELL_PLAIN;
}

/* huge leaves stand out */
static enum pt_cell_role pt_rc_level(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	snprintf(b, n, "%s", pt_level_name(r->level));
	return r->level == PT_PTE ? PT_CELL_PLAIN : PT_CELL_STRONG;
}

static enum pt_cell_role pt_rc_size(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_RUN(row);
	PT_RD(ctx);
	pt_report_size(pt_runs_entry_size(rd->ly, r->level), b, n);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_bytes(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	pt_report_size(r->end - r->start, b, n);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_state(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	snprintf(b, n, "%s", pt_state_name(r->state));
	return r->state == PT_STATE_LEAF ? PT_CELL_PLAIN : PT_CELL_STRONG;
}

static enum pt_cell_role pt_rc_bits(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_RUN(row);
	PT_RD(ctx);
	size_t len;

	if (r->flags & PT_RE_RAW)
		pt_report_bits_text(rd->ly, r->level, r->raw, false, b, n);
	else if (r->flags & PT_RE_PM)
		pt_pm_bits(r->pm, b, n);
	else
		b[0] = '\0';
	len = strlen(b);
	while (len && b[len - 1] == ' ')
		b[--len] = '\0';
	if (len)
		return PT_CELL_PLAIN;
	snprintf(b, n, "-");
	return PT_CELL_DIM;
}

static enum pt_cell_role pt_rc_pfn(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	if (r->first_pfn) {
		snprintf(b, n, "0x%" PRIx64, r->first_pfn);
		return PT_CELL_PLAIN;
	}
	/* present, but the kernel hid its PFN (no CAP_SYS_ADMIN) */
	snprintf(b, n, "%s",
		 r->state == PT_STATE_LEAF && (r->flags & PT_RE_PM) ? "hidden" :
								       "-");
	return PT_CELL_DIM;
}

static enum pt_cell_role pt_rc_pfns(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	if (!r->first_pfn || r->count == 1) {
		snprintf(b, n, "-");
		return PT_CELL_DIM;
	}
	snprintf(b, n, "%s", r->pfn_contig ? "contiguous" : "scattered");
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_raw(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	if (!(r->flags & PT_RE_RAW)) {
		snprintf(b, n, "-");
		return PT_CELL_DIM;
	}
	snprintf(b, n, "0x%016" PRIx64, r->raw);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_pagemap(char *b, size_t n, const void *row,
				       const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	if (!(r->flags & PT_RE_PM)) {
		snprintf(b, n, "-");
		return PT_CELL_DIM;
	}
	snprintf(b, n, "0x%016" PRIx64, r->pm);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_kpf_cell(char *b, size_t n,
					const struct pt_run *r, uint64_t flags)
{
	if (!(r->flags & PT_RE_KPF) || !flags) {
		snprintf(b, n, "-");
		return PT_CELL_DIM;
	}
	pt_kpf_list(flags, b, n);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_kpf(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	return pt_rc_kpf_cell(b, n, r, r->kpf_and);
}

static enum pt_cell_role pt_rc_kpf_some(char *b, size_t n, const void *row,
					const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	return pt_rc_kpf_cell(b, n, r, r->kpf_or & ~r->kpf_and);
}

static enum pt_cell_role pt_rc_mapcount(char *b, size_t n, const void *row,
					const void *ctx)
{
	PT_RUN(row);
	(void)ctx;
	if (!(r->flags & PT_RE_KPC)) {
		snprintf(b, n, "-");
		return PT_CELL_DIM;
	}
	if (r->kpc_min == r->kpc_max)
		snprintf(b, n, "%" PRIu64, r->kpc_min);
	else
		snprintf(b, n, "%" PRIu64 "-%" PRIu64, r->kpc_min, r->kpc_max);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_perms(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_RD(ctx);
	(void)row;
	snprintf(b, n, "%s", rd->vma.perms);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_kind(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_RD(ctx);
	(void)row;
	snprintf(b, n, "%s", pt_vma_kind_name(rd->vma.kind));
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_rc_path(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_RD(ctx);
	(void)row;
	if (rd->vma.path[0]) {
		snprintf(b, n, "%s", rd->vma.path);
		return PT_CELL_PLAIN;
	}
	snprintf(b, n, "-");
	return PT_CELL_DIM;
}

#define D PT_COLF_DEFAULT
#define R PT_COLF_RIGHT
/* X(name, header, flags, width, function, help); K: default with --kpageflags */
#define K 0x100u
#define PT_RUN_COLS(X)                                                                \
	X("start", "START", D, 18, pt_rc_start, "first address of the run")           \
	X("end", "END", D, 18, pt_rc_end, "address after its last byte")              \
	X("entries", "ENTRIES", D | R, 8, pt_rc_entries, "entries in the run")        \
	X("level", "LEVEL", D, 5, pt_rc_level, "their level: pte, pmd, pud")          \
	X("size", "SIZE", D | R, 4, pt_rc_size, "bytes one entry maps")               \
	X("state", "STATE", D, 5, pt_rc_state,                                        \
	  "leaf, swap, migration, marker... (one for the whole run)")                 \
	X("bits", "BITS", D, 0, pt_rc_bits,                                           \
	  "the module's decoded bits, or what pagemap says")                          \
	X("pfn", "PFN", D, 0, pt_rc_pfn,                                              \
	  "the first entry's PFN; hidden without CAP_SYS_ADMIN")                      \
	X("pfns", "PFNS", D, 0, pt_rc_pfns,                                           \
	  "contiguous when every PFN follows the one before, else scattered")        \
	X("kpf", "KPF", K, 0, pt_rc_kpf,                                              \
	  "kpageflags every entry has, with --kpageflags")                            \
	X("kpf-some", "KPF-SOME", K, 0, pt_rc_kpf_some,                               \
	  "kpageflags only some entries have, with --kpageflags")                     \
	X("mapcount", "MAPCOUNT", K | R, 0, pt_rc_mapcount,                           \
	  "kpagecount, or its least and greatest, with --kpageflags")                 \
	X("bytes", "BYTES", R, 0, pt_rc_bytes, "bytes the run maps")                  \
	X("raw", "RAW", 0, 0, pt_rc_raw, "the first entry's raw value (the module)")  \
	X("pagemap", "PAGEMAP", 0, 0, pt_rc_pagemap,                                  \
	  "the first entry's pagemap word (the /proc source)")                        \
	X("perms", "PERMS", 0, 0, pt_rc_perms, "its mapping's permissions")           \
	X("kind", "KIND", 0, 0, pt_rc_kind, "its mapping's kind")                     \
	X("path", "PATH", 0, 0, pt_rc_path, "its mapping's file, or [heap]...")

const struct pt_col pt_run_cols[] = {
#define PT_RUN_COL(nm, hd, fl, w, fn, hp)                                        \
	{ .name = nm, .header = hd, .help = hp, .flags = (fl) & ~K, .width = w, \
	  .fmt = fn },
	PT_RUN_COLS(PT_RUN_COL)
#undef PT_RUN_COL
};
const size_t pt_run_nr_cols = sizeof(pt_run_cols) / sizeof(pt_run_cols[0]);

/* which columns join the default with --kpageflags */
static const bool pt_run_kpf_default[] = {
#define PT_RUN_KPF(nm, hd, fl, w, fn, hp) !!((fl) & K),
	PT_RUN_COLS(PT_RUN_KPF)
#undef PT_RUN_KPF
};
#undef K
#undef D
#undef R

int pt_run_table(struct pt_table *t, const char *list, bool kpageflags,
		 struct pt_err *err)
{
	size_t i;
	int ret;

	struct pt_table more;

	/* "+COL": the default (with --kpageflags, its columns too), then COL */
	ret = pt_table_init(t, pt_run_cols, pt_run_nr_cols,
			    list && *list == '+' ? NULL : list, err);
	if (ret < 0 || (list && *list != '+'))
		return ret;
	for (i = 0; kpageflags && i < pt_run_nr_cols; i++)
		if (pt_run_kpf_default[i] && t->nr_sel < PT_COLS_MAX)
			t->sel[t->nr_sel++] = (int)i;
	if (!list)
		return 0;
	if (!list[1])
		return pt_err_set(err, PT_USAGE,
				  "no column named in '+' (--output help lists them)");
	ret = pt_table_init(&more, pt_run_cols, pt_run_nr_cols, list + 1, err);
	if (ret < 0)
		return ret;
	if (t->nr_sel + more.nr_sel > PT_COLS_MAX)
		return pt_err_set(err, PT_USAGE, "at most %d columns",
				  PT_COLS_MAX);
	for (i = 0; i < more.nr_sel; i++)
		t->sel[t->nr_sel++] = more.sel[i];
	return 0;
}

void pt_run_json(struct pt_json *j, const struct pt_layout *ly,
		 const struct pt_run *r)
{
	struct pt_pagemap pm;

	pt_json_obj_begin(j, NULL);
	pt_json_hex(j, "start", r->start);
	pt_json_hex(j, "end", r->end);
	pt_json_u64(j, "count", r->count);
	pt_json_str(j, "level", pt_level_name(r->level));
	pt_json_u64(j, "size", pt_runs_entry_size(ly, r->level));
	pt_json_str(j, "state", pt_state_name(r->state));
	pt_json_bool(j, "level_known", r->flags & PT_RE_SCAN);
	if (r->first_pfn)
		pt_json_hex(j, "pfn", r->first_pfn);
	else
		pt_json_null(j, "pfn");
	pt_json_bool(j, "pfn_contiguous", r->pfn_contig);
	if (r->flags & PT_RE_RAW) {
		pt_json_hex(j, "raw", r->raw);
		pt_report_json_bits(j, ly, r->level, r->raw);
	}
	if (r->flags & PT_RE_PM) {
		pt_pagemap_decode_word(r->pm, &pm);
		pt_json_obj_begin(j, "pagemap");
		pt_json_pm_flags(j, &pm);
		pt_json_obj_end(j);
	} else {
		pt_json_null(j, "pagemap");
	}
	if (r->flags & PT_RE_KPF) {
		pt_json_obj_begin(j, "kpageflags");
		pt_kpf_json(j, "all", r->kpf_and);
		pt_kpf_json(j, "some", r->kpf_or & ~r->kpf_and);
		pt_json_obj_end(j);
	}
	if (r->flags & PT_RE_KPC) {
		pt_json_obj_begin(j, "kpagecount");
		pt_json_u64(j, "min", r->kpc_min);
		pt_json_u64(j, "max", r->kpc_max);
		pt_json_obj_end(j);
	}
	pt_json_obj_end(j);
}

static int pt_rd_emit(const struct pt_run *r, void *arg)
{
	struct pt_rd *rd = arg;

	rd->sum.runs++;
	if (rd->o->json) {
		pt_run_json(&rd->json, rd->ly, r);
		return 0;
	}
	if (!rd->table_only)
		fputs("  ", rd->out);
	pt_table_row(rd->out, &rd->tab, r, rd);
	return 0;
}

void pt_vma_sum_add(struct pt_vma_sum *s, const uint64_t *sizes,
		    const struct pt_range_entry *e, size_t nr)
{
	const struct pt_range_entry *x;
	uint64_t n, size, pages;
	size_t i;

	for (i = 0; i < nr; i++) {
		x = &e[i];
		n = 1 + (uint64_t)x->more;	/* a span's ptes */
		size = sizes[x->level] * n;
		pages = size / 4096;
		if (x->state == PT_STATE_LEAF || x->state == PT_STATE_PROT_NONE) {
			s->leaves[x->level] += n;
			s->present_bytes += size;
			if (x->level != PT_PTE)
				s->huge_bytes += size;
		} else {
			s->nonpresent += n;
			if ((x->flags & PT_RE_PM) && (x->pm & PM_SWAP))
				s->swapped_pages += pages;
		}
		if (!(x->flags & PT_RE_PM))
			continue;
		if (x->pm & PM_SOFT_DIRTY)
			s->soft_dirty_pages += pages;
		if (x->pm & PM_MMAP_EXCLUSIVE)
			s->exclusive_pages += pages;
	}
}

static void pt_vma_text(FILE *f, const struct pt_vma *v)
{
	fprintf(f, "vma 0x%" PRIx64 "-0x%" PRIx64 " %s %s%s%s\n", v->start,
		v->end, v->perms, pt_vma_kind_name(v->kind),
		v->path[0] ? " " : "", v->path);
}

void pt_vma_sum_text(FILE *f, const struct pt_vma_sum *s, uint64_t vma_bytes)
{
	char a[16], b[16];

	fprintf(f, "pte %" PRIu64 " pmd %" PRIu64 " pud %" PRIu64
		" swap-like %" PRIu64 "; present %s, huge %s (%" PRIu64
		"%% of the mapping); soft-dirty %" PRIu64 " pages, swapped %"
		PRIu64 " pages, exclusive %" PRIu64 " pages; %" PRIu64 " runs",
		s->leaves[PT_PTE], s->leaves[PT_PMD], s->leaves[PT_PUD],
		s->nonpresent,
		pt_report_size(s->present_bytes, a, sizeof(a)),
		pt_report_size(s->huge_bytes, b, sizeof(b)),
		vma_bytes ? s->huge_bytes * 100 / vma_bytes : 0,
		s->soft_dirty_pages, s->swapped_pages, s->exclusive_pages,
		s->runs);
}

void pt_vma_sum_json(struct pt_json *j, const struct pt_vma_sum *s,
		     uint64_t vma_bytes)
{
	pt_json_obj_begin(j, "summary");
	pt_json_obj_begin(j, "leaves");
	pt_json_u64(j, "pte", s->leaves[PT_PTE]);
	pt_json_u64(j, "pmd", s->leaves[PT_PMD]);
	pt_json_u64(j, "pud", s->leaves[PT_PUD]);
	pt_json_obj_end(j);
	pt_json_u64(j, "swap_like", s->nonpresent);
	pt_json_u64(j, "present_bytes", s->present_bytes);
	pt_json_u64(j, "huge_bytes", s->huge_bytes);
	pt_json_u64(j, "huge_percent",
		    vma_bytes ? s->huge_bytes * 100 / vma_bytes : 0);
	pt_json_u64(j, "soft_dirty_pages", s->soft_dirty_pages);
	pt_json_u64(j, "swapped_pages", s->swapped_pages);
	pt_json_u64(j, "exclusive_pages", s->exclusive_pages);
	pt_json_u64(j, "runs", s->runs);
	pt_json_obj_end(j);
}

static void pt_vma_json(struct pt_json *j, const struct pt_vma *v)
{
	unsigned int i;

	pt_json_hex(j, "start", v->start);
	pt_json_hex(j, "end", v->end);
	pt_json_str(j, "perms", v->perms);
	pt_json_str(j, "kind", pt_vma_kind_name(v->kind));
	pt_json_hex(j, "offset", v->pgoff);
	if (v->has_flags) {
		pt_json_arr_begin(j, "flags");
		for (i = 0; i < v->nr_flags; i++)
			pt_json_str(j, NULL, v->flags[i]);
		pt_json_arr_end(j);
	} else {
		pt_json_null(j, "flags");
	}
	if (v->path[0])
		pt_json_str(j, "path", v->path);
	else
		pt_json_null(j, "path");
}

/* Closes the current VMA: its last run, its summary. */
static int pt_rd_vma_end(struct pt_rd *rd)
{
	struct pt_sum_row *row;
	int ret;

	if (!rd->in_vma)
		return 0;
	ret = pt_runs_flush(&rd->runs);
	if (ret)
		return ret;
	rd->in_vma = false;
	if (rd->o->json) {
		pt_json_arr_end(&rd->json);
		pt_vma_sum_json(&rd->json, &rd->sum, rd->vma.end - rd->vma.start);
		pt_json_obj_end(&rd->json);
	} else if (!rd->o->all && !rd->table_only) {
		fprintf(rd->out, "  summary: ");
		pt_vma_sum_text(rd->out, &rd->sum, rd->vma.end - rd->vma.start);
		fprintf(rd->out, "\n");
	}
	if (!rd->o->all || rd->o->json || rd->table_only)
		return 0;
	if (pt_grow(&rd->rows, &rd->cap_rows, rd->nr_rows, sizeof(*rd->rows),
		    64) < 0)
		return -PT_NO_MEM;
	row = &rd->rows[rd->nr_rows++];
	row->start = rd->vma.start;
	row->end = rd->vma.end;
	memcpy(row->perms, rd->vma.perms, sizeof(row->perms));
	row->kind = rd->vma.kind;
	row->path = strdup(rd->vma.path);
	row->sum = rd->sum;
	return row->path ? 0 : -PT_NO_MEM;
}

static int pt_rd_batch(const struct pt_vma *vma,
		       const struct pt_range_entry *e, size_t nr, void *arg)
{
	struct pt_rd *rd = arg;
	int ret;

	if (!rd->in_vma || vma->start != rd->vma.start) {
		ret = pt_rd_vma_end(rd);
		if (ret)
			return ret;
		rd->in_vma = true;
		rd->vma = *vma;
		rd->vma.path = pt_intern_in(&rd->paths, vma->path, strlen(vma->path));
		if (!rd->vma.path) {
			rd->vma.path = "";
			return -PT_NO_MEM;
		}
		rd->nr_vmas++;
		memset(&rd->sum, 0, sizeof(rd->sum));
		if (rd->o->json) {
			pt_json_obj_begin(&rd->json, NULL);
			pt_vma_json(&rd->json, vma);
			pt_json_arr_begin(&rd->json, "runs");
		} else if (!rd->table_only) {
			pt_vma_text(rd->out, vma);
		}
	}
	pt_vma_sum_add(&rd->sum, rd->runs.size, e, nr);
	ret = pt_runs_add_batch(&rd->runs, e, nr);
	if (ret)
		return ret;
	rd->nr_entries += nr;
	return 0;
}

/* --each: one version 1 object (or text block) per walk. */
static int pt_rd_each_walk(const struct pt_walk *w, void *arg)
{
	struct pt_rd *rd = arg;

	if (rd->o->json) {
		pt_report_json(&rd->json, NULL, rd->ly, w);
	} else {
		if (rd->nr_entries)
			printf("\n");
		printf("-- 0x%" PRIx64 "\n", w->addr);
		pt_report_text(stdout, rd->ly, w);
	}
	rd->nr_entries++;
	return 0;
}

/* --each from batches: the walk of each entry, leaf level only. */
static int pt_rd_each(const struct pt_vma *vma,
		      const struct pt_range_entry *e, size_t nr, void *arg)
{
	struct pt_rd *rd = arg;
	struct pt_walk *w = rd->w;
	size_t i;

	if (!rd->in_vma || vma->start != w->vma.start) {
		rd->in_vma = true;
		w->vma = *vma;
	}
	for (i = 0; i < nr; i++) {
		pt_walk_from_range_entry(rd->ly, &e[i], w);
		/* the KSM erratum's live check: once a range, not once a page */
		if (w->pm.has_kpageflags && (w->pm.kpageflags & (1ull << KPF_KSM))) {
			if (rd->ksm == PT_KSM_UNREAD)
				rd->ksm = pt_ksm_seen_read();
			w->pm.ksm = rd->ksm;
		}
		pt_rd_each_walk(w, rd);
	}
	return 0;
}

static void pt_rd_header(struct pt_rd *rd, uint64_t start, uint64_t end)
{
	const struct pt_range_req *o = rd->o;

	if (o->json) {
		pt_json_u64(&rd->json, "ptinspect", PT_JSON_RANGE_VERSION);
		pt_json_str(&rd->json, "kernel", rd->src->release);
		pt_json_str(&rd->json, "arch", rd->ly->arch->name);
		pt_json_str(&rd->json, "source", rd->src->name);
		pt_json_i64(&rd->json, "pid", o->pid);
		pt_json_obj_begin(&rd->json, "range");
		pt_json_hex(&rd->json, "start", start);
		pt_json_hex(&rd->json, "end", end);
		pt_json_bool(&rd->json, "all", o->all);
		pt_json_obj_end(&rd->json);
		return;
	}
	printf("ptinspect · %s %s · pid %d · range 0x%" PRIx64 "-0x%" PRIx64
	       "%s\n", rd->src->release, rd->ly->arch->name, (int)o->pid,
	       start, end, o->all ? " (all)" : "");
	printf("source %s\n", !strcmp(rd->src->name, "kmod") ?
	       "kmod: raw entries from ptdump_helper" :
	       "pagemap: derived from /proc, no raw entry bits");
}

/* The runs' heading: in the document, indented as the runs are. */
static void pt_rd_heading(struct pt_rd *rd)
{
	if (rd->tab.noheadings)
		return;
	if (!rd->table_only)
		fputs("runs:\n  ", stdout);
	pt_table_header(stdout, &rd->tab);
}

void pt_rd_stopped_json(struct pt_json *j, int ret, const struct pt_err *err)
{
	unsigned long long addr = 0;

	if (ret >= 0 || (-ret != PT_EXITED && -ret != PT_CHANGED)) {
		pt_json_null(j, "stopped");
		return;
	}
	sscanf(err->msg, "walk stopped at %llx", &addr);
	pt_json_obj_begin(j, "stopped");
	pt_json_hex(j, "addr", addr);
	pt_json_str(j, "status", pt_status_name(-ret));
	pt_json_str(j, "reason", err->msg);
	pt_json_obj_end(j);
}

static int pt_rd_copy(FILE *from, FILE *to)
{
	char buf[65536];
	size_t n;

	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -PT_INTERNAL;
	return 0;
}

static void pt_rd_all_summary(struct pt_rd *rd)
{
	size_t i;

	printf("%zu mappings:\n", rd->nr_rows);
	for (i = 0; i < rd->nr_rows; i++) {
		const struct pt_sum_row *r = &rd->rows[i];

		printf("0x%" PRIx64 "-0x%" PRIx64 " %s %s%s%s\n  ", r->start,
		       r->end, r->perms, pt_vma_kind_name(r->kind),
		       r->path[0] ? " " : "", r->path);
		pt_vma_sum_text(stdout, &r->sum, r->end - r->start);
		printf("\n");
	}
	printf("\n");
}

int pt_range_dump(const struct pt_range_req *o, struct pt_source *src,
		  uint64_t start, uint64_t end, struct pt_err *err)
{
	struct pt_rd rd = { .o = o, .src = src, .ly = &src->layout,
			    .out = stdout };
	/*
	 * runs and sums take a row of ptes whole, no entry a pte, unless
	 * a run ends where the PFNs or kpageflags do not follow on
	 */
	unsigned int what = o->kpageflags ? PT_RANGE_KPF :
			    o->pfn_runs ? 0 : PT_RANGE_SPANS;
	size_t i;
	int ret;

	if (o->each) {
		rd.w = calloc(1, sizeof(*rd.w));
		if (!rd.w)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		pt_walk_init(src, o->pid, start, rd.w);
		if (o->json) {
			pt_json_init(&rd.json, stdout, true);
			pt_json_arr_begin(&rd.json, NULL);
		}
		/*
		 * version 1 carries VmFlags, kpageflags and kpagecount, and
		 * through the module every level's raw entry, which only its
		 * whole walks have (a batch holds the leaf)
		 */
		if (src->ops->walk_batch && strcmp(src->name, "kmod"))
			ret = src->ops->walk_batch(src, o->pid, start, end,
						   PT_RANGE_KPF | PT_RANGE_VMFLAGS,
						   pt_rd_each, &rd, err);
		else
			ret = src->ops->walk_range(src, o->pid, start, end,
						   pt_rd_each_walk, &rd, err);
		if (o->json) {
			pt_json_arr_end(&rd.json);
			pt_json_end(&rd.json);
		} else if (!ret && !rd.nr_entries) {
			printf("nothing populated in 0x%" PRIx64 "-0x%" PRIx64 "\n",
			       start, end);
		}
		free(rd.w);
		return ret;
	}
	ret = pt_run_table(&rd.tab, o->output, o->kpageflags, err);
	if (ret < 0)
		return ret;
	rd.tab.noheadings = o->noheadings;
	rd.tab.raw = o->raw_table;
	rd.tab.color = !o->json && pt_color_use(o->color, stdout);
	rd.table_only = o->output || o->noheadings || o->raw_table;
	pt_runs_init(&rd.runs, rd.ly,
		     (o->kpageflags ? PT_RUNS_SPLIT_KPF : 0) |
		     (o->pfn_runs ? PT_RUNS_SPLIT_PFN : 0),
		     pt_rd_emit, &rd);
	if (o->json) {
		pt_json_init(&rd.json, stdout, true);
		pt_json_obj_begin(&rd.json, NULL);
		pt_rd_header(&rd, start, end);
		pt_json_arr_begin(&rd.json, "vmas");
	} else if (rd.table_only) {
		pt_rd_heading(&rd);
	} else {
		pt_rd_header(&rd, start, end);
		if (!o->all) {
			pt_rd_heading(&rd);
		} else {
			/* the summaries come first: the runs wait in a file */
			rd.out = tmpfile();
			if (!rd.out)
				return pt_err_set(err, PT_INTERNAL,
						  "cannot create a temporary file");
		}
	}
	ret = pt_source_walk_batch(src, o->pid, start, end, what, pt_rd_batch,
				   &rd, err);
	/* what was read before a stop is still printed */
	if (ret == 0 || ret == -PT_EXITED || ret == -PT_CHANGED) {
		int r2 = pt_rd_vma_end(&rd);

		if (r2 && !ret)
			ret = pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	if (o->json) {
		pt_json_arr_end(&rd.json);
		pt_rd_stopped_json(&rd.json, ret, err);
		pt_json_obj_end(&rd.json);
		pt_json_end(&rd.json);
	} else if (o->all && !rd.table_only) {
		pt_rd_all_summary(&rd);
		pt_rd_heading(&rd);
		pt_rd_copy(rd.out, stdout);
		fclose(rd.out);
	}
	for (i = 0; i < rd.nr_rows; i++)
		free(rd.rows[i].path);
	free(rd.rows);
	pt_intern_free(&rd.paths);
	return ret;
}
