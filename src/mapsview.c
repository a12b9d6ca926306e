// SPDX-License-Identifier: GPL-2.0
/* The mappings list as a table and as JSON: see mapsview.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mapsview.h"
#include "rangedump.h"

const char *pt_mapsview_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	uint64_t unit = 1024;
	int u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64, bytes);
		return buf;
	}
	while (u + 1 < (int)sizeof(units) - 1 && bytes >= unit * 1024) {
		unit *= 1024;
		u++;
	}
	if (bytes % unit == 0 || bytes / unit >= 100)
		snprintf(buf, len, "%" PRIu64 "%c", bytes / unit, units[u]);
	else
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", bytes / unit,
			 bytes % unit * 10 / unit, units[u]);
	return buf;
}

#define PT_ROW(v) const struct pt_vmalist_row *r = (v)

static enum pt_cell_role pt_c_start(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	snprintf(b, n, "0x%" PRIx64, r->start);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_c_end(char *b, size_t n, const void *row,
				  const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	snprintf(b, n, "0x%" PRIx64, r->end);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_c_size(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	pt_mapsview_size(r->end - r->start, b, n);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_c_perms(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	snprintf(b, n, "%s", r->perms);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_c_offset(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	snprintf(b, n, "0x%" PRIx64, r->pgoff);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_c_kind(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	snprintf(b, n, "%s", pt_vma_kind_name(r->kind));
	return PT_CELL_PLAIN;
}

/* a size that is zero is dimmed: the eye finds what is populated */
static enum pt_cell_role pt_c_bytes(char *b, size_t n, uint64_t bytes)
{
	pt_mapsview_size(bytes, b, n);
	return bytes ? PT_CELL_STRONG : PT_CELL_DIM;
}

static enum pt_cell_role pt_c_populated(char *b, size_t n, const void *row,
					const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	return pt_c_bytes(b, n, r->sum.present_bytes);
}

static enum pt_cell_role pt_c_popct(char *b, size_t n, const void *row,
				    const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	snprintf(b, n, "%" PRIu64 "%%",
		 r->sum.present_bytes * 100 / (r->end - r->start));
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_c_huge(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	return pt_c_bytes(b, n, r->sum.huge_bytes);
}

static enum pt_cell_role pt_c_swapped(char *b, size_t n, const void *row,
				      const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	return pt_c_bytes(b, n, r->sum.swapped_pages * 4096);
}

static enum pt_cell_role pt_c_exclusive(char *b, size_t n, const void *row,
					const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	return pt_c_bytes(b, n, r->sum.exclusive_pages * 4096);
}

/* shared and copied need a child and PFNs: "-" says unknown */
static enum pt_cell_role pt_c_cmp(char *b, size_t n, const struct pt_vmalist *l,
				  uint64_t pages)
{
	if (!l->child || l->pfn_hidden) {
		snprintf(b, n, "-");
		return PT_CELL_DIM;
	}
	return pt_c_bytes(b, n, pages * 4096);
}

static enum pt_cell_role pt_c_shared(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_ROW(row);
	return pt_c_cmp(b, n, ctx, r->shared_pages);
}

static enum pt_cell_role pt_c_copied(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_ROW(row);
	return pt_c_cmp(b, n, ctx, r->copied_pages);
}

/*
 * The share of the pages both sides map that the fork copied, in tenths
 * of a percent (0 when neither maps any)
 */
static uint64_t pt_copied_permille(uint64_t shared, uint64_t copied)
{
	return shared + copied ? copied * 1000 / (shared + copied) : 0;
}

static void pt_permille(char *b, size_t n, uint64_t pm)
{
	snprintf(b, n, "%" PRIu64 ".%" PRIu64 "%%", pm / 10, pm % 10);
}

static enum pt_cell_role pt_c_copypct(char *b, size_t n, const void *row,
				      const void *ctx)
{
	PT_ROW(row);
	const struct pt_vmalist *l = ctx;

	if (!l->child || l->pfn_hidden || !(r->shared_pages + r->copied_pages)) {
		snprintf(b, n, "-");
		return PT_CELL_DIM;
	}
	pt_permille(b, n, pt_copied_permille(r->shared_pages, r->copied_pages));
	return r->copied_pages ? PT_CELL_STRONG : PT_CELL_DIM;
}

static enum pt_cell_role pt_c_path(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_ROW(row);
	(void)ctx;
	snprintf(b, n, "%s", r->path);
	return PT_CELL_PLAIN;
}

#define D PT_COLF_DEFAULT
#define R PT_COLF_RIGHT
/* X(name, header, flags, function, help) */
#define PT_MAPS_COLS(X)                                                                \
	X("start", "START", D, pt_c_start, "first address of the mapping")             \
	X("end", "END", D, pt_c_end, "address after its last byte")                    \
	X("size", "SIZE", D | R, pt_c_size, "its size")                                \
	X("perms", "PERMS", D, pt_c_perms, "permissions as in /proc/PID/maps")         \
	X("offset", "OFFSET", R, pt_c_offset, "offset in the file mapped")             \
	X("kind", "KIND", D, pt_c_kind,                                                \
	  "anon-private, file-shared, hugetlb...")                                     \
	X("populated", "POPULATED", D | R, pt_c_populated,                             \
	  "bytes mapped by present entries (any level)")                               \
	X("pop%", "POP%", R, pt_c_popct,                                               \
	  "populated, as a percentage of the size")                                    \
	X("huge", "HUGE", D | R, pt_c_huge,                                            \
	  "bytes mapped by huge leaves (THP, hugetlb)")                                \
	X("swapped", "SWAPPED", D | R, pt_c_swapped, "bytes in swap")                  \
	X("exclusive", "EXCL", R, pt_c_exclusive,                                      \
	  "bytes mapped by this process alone")                                        \
	X("shared", "SHARED", R, pt_c_shared,                                          \
	  "bytes whose page the child still maps (same PFN), with --child")            \
	X("copied", "COPIED", R, pt_c_copied,                                          \
	  "bytes present on both sides in different pages (COW broken), with --child") \
	X("copied%", "COPY%", R, pt_c_copypct,                                         \
	  "copied, as a share of the pages both sides map, with --child")              \
	X("path", "PATH", D, pt_c_path,                                                \
	  "the file mapped, or [heap], [stack]...")

const struct pt_col pt_maps_cols[] = {
#define PT_MAPS_COL(n, hd, fl, fn, hp) \
	{ .name = n, .header = hd, .help = hp, .flags = fl, .fmt = fn },
	PT_MAPS_COLS(PT_MAPS_COL)
#undef PT_MAPS_COL
};
const size_t pt_maps_nr_cols = sizeof(pt_maps_cols) / sizeof(pt_maps_cols[0]);
#undef D
#undef R

int pt_mapsview_table(struct pt_table *t, const char *list, bool child,
		      struct pt_err *err)
{
	static const char *const cmp[] = { "shared", "copied", "copied%" };
	size_t i, k, nr = sizeof(cmp) / sizeof(cmp[0]);
	int ret;

	ret = pt_table_init(t, pt_maps_cols, pt_maps_nr_cols, list, err);
	if (ret < 0 || list || !child || t->nr_sel + nr > PT_COLS_MAX)
		return ret;
	/* beside a child, who copied what is the question: before the path */
	t->sel[t->nr_sel + nr - 1] = t->sel[t->nr_sel - 1];
	for (k = 0; k < nr; k++)
		for (i = 0; i < pt_maps_nr_cols; i++)
			if (!strcmp(pt_maps_cols[i].name, cmp[k]))
				t->sel[t->nr_sel - 1 + k] = (int)i;
	t->nr_sel += nr;
	return 0;
}

int pt_mapsview_text(FILE *f, const struct pt_table *t,
		     const struct pt_vmalist *l, struct pt_err *err)
{
	return pt_table_print(f, t, l->rows, sizeof(*l->rows), l->nr, l, err);
}

const char *pt_mapsview_cmp_line(const struct pt_vmalist *l, char *buf,
				 size_t len)
{
	uint64_t shared, copied;
	char a[32], b[32], pct[32];

	buf[0] = '\0';
	if (!l->child || l->pfn_hidden)
		return buf;
	pt_vmalist_cmp_totals(l, &shared, &copied);
	pt_permille(pct, sizeof(pct), pt_copied_permille(shared, copied));
	snprintf(buf, len, "shared %s, copied %s: %s of the pages both map copied",
		 pt_mapsview_size(shared * 4096, a, sizeof(a)),
		 pt_mapsview_size(copied * 4096, b, sizeof(b)), pct);
	return buf;
}

void pt_mapsview_totals(FILE *f, const struct pt_vmalist *l)
{
	uint64_t shared, copied;
	char line[160];

	if (!l->child || l->pfn_hidden)
		return;
	pt_vmalist_cmp_totals(l, &shared, &copied);
	fprintf(f, "totals: %s (%" PRIu64 " and %" PRIu64
		" pages); sorted by %s\n", pt_mapsview_cmp_line(l, line, sizeof(line)),
		shared, copied, pt_vmalist_sort_name(l->sort));
}

void pt_mapsview_json(struct pt_json *j, const struct pt_vmalist *l,
		      const char *kernel, const char *source)
{
	size_t i;

	pt_json_obj_begin(j, NULL);
	pt_json_u64(j, "ptinspect", PT_JSON_MAPS_VERSION);
	pt_json_str(j, "kernel", kernel);
	pt_json_str(j, "source", source);
	pt_json_i64(j, "pid", l->pid);
	if (l->child)
		pt_json_i64(j, "child", l->child);
	else
		pt_json_null(j, "child");
	pt_json_bool(j, "pfn_hidden", l->pfn_hidden);
	pt_json_arr_begin(j, "mappings");
	for (i = 0; i < l->nr; i++) {
		const struct pt_vmalist_row *r = &l->rows[i];

		pt_json_obj_begin(j, NULL);
		pt_json_hex(j, "start", r->start);
		pt_json_hex(j, "end", r->end);
		pt_json_u64(j, "size", r->end - r->start);
		pt_json_str(j, "perms", r->perms);
		pt_json_hex(j, "offset", r->pgoff);
		pt_json_str(j, "kind", pt_vma_kind_name(r->kind));
		if (r->path[0])
			pt_json_str(j, "path", r->path);
		else
			pt_json_null(j, "path");
		pt_json_u64(j, "populated_bytes", r->sum.present_bytes);
		pt_json_u64(j, "huge_bytes", r->sum.huge_bytes);
		pt_json_u64(j, "swapped_bytes", r->sum.swapped_pages * 4096);
		pt_json_u64(j, "exclusive_bytes",
			    r->sum.exclusive_pages * 4096);
		if (l->child && !l->pfn_hidden) {
			pt_json_u64(j, "shared_bytes", r->shared_pages * 4096);
			pt_json_u64(j, "copied_bytes", r->copied_pages * 4096);
			pt_json_u64(j, "copied_permille",
				    pt_copied_permille(r->shared_pages,
						       r->copied_pages));
		} else {
			pt_json_null(j, "shared_bytes");
			pt_json_null(j, "copied_bytes");
			pt_json_null(j, "copied_permille");
		}
		/* the leaves by level, as dump --range counts them */
		pt_json_obj_begin(j, "leaves");
		pt_json_u64(j, "pte", r->sum.leaves[PT_PTE]);
		pt_json_u64(j, "pmd", r->sum.leaves[PT_PMD]);
		pt_json_u64(j, "pud", r->sum.leaves[PT_PUD]);
		pt_json_obj_end(j);
		pt_json_u64(j, "swap_like", r->sum.nonpresent);
		pt_json_obj_end(j);
	}
	pt_json_arr_end(j);
	pt_json_str(j, "sort", pt_vmalist_sort_name(l->sort));
	if (l->child && !l->pfn_hidden) {
		uint64_t shared, copied;

		pt_vmalist_cmp_totals(l, &shared, &copied);
		pt_json_obj_begin(j, "totals");
		pt_json_u64(j, "shared_bytes", shared * 4096);
		pt_json_u64(j, "copied_bytes", copied * 4096);
		pt_json_u64(j, "copied_permille",
			    pt_copied_permille(shared, copied));
		pt_json_obj_end(j);
	} else {
		pt_json_null(j, "totals");
	}
	if (l->stopped) {
		struct pt_err e = { .status = -l->stopped };

		snprintf(e.msg, sizeof(e.msg), "%s", l->stopped_msg);
		pt_rd_stopped_json(j, l->stopped, &e);
	} else {
		pt_json_null(j, "stopped");
	}
	pt_json_obj_end(j);
}
