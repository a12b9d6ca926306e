// SPDX-License-Identifier: GPL-2.0
/*
 * dump --range --child: parent and child page by page, from both
 * pagemaps read in chunks side by side.  Same PFN: still shared since
 * the fork; another PFN: copied (a write fault broke COW, or the page was
 * replaced); populated on one side only.  Always the /proc source: the
 * question is about PFNs, which pagemap gives for both processes at once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "pagemap_abi.h"
#include "pmrange.h"
#include "procfs.h"
#include "rangedump.h"

enum pt_cmp_class {
	PT_CMP_NONE,
	PT_CMP_SHARED,
	PT_CMP_COPIED,
	PT_CMP_ONLY_PARENT,
	PT_CMP_ONLY_CHILD,
	PT_CMP_NR
};

static const char *const pt_cmp_names[PT_CMP_NR] = {
	[PT_CMP_NONE] = "none",
	[PT_CMP_SHARED] = "shared",
	[PT_CMP_COPIED] = "copied",
	[PT_CMP_ONLY_PARENT] = "only-parent",
	[PT_CMP_ONLY_CHILD] = "only-child",
};

struct pt_cmp_run {
	uint64_t start, end;
	enum pt_cmp_class cls;
	bool p_huge, c_huge;
};

struct pt_cmp {
	const struct pt_range_req *o;
	struct pt_table tab;
	struct pt_json json;
	struct pt_cmp_run run;
	bool open;
	uint64_t pages[PT_CMP_NR];
	uint64_t huge_split;
	uint64_t last_split_block;
	uint64_t nr_runs;
	bool hidden;		/* a present page without its PFN */
};

static enum pt_cmp_class pt_cmp_classify(uint64_t p, uint64_t c, bool *hidden)
{
	bool pp = p & (PM_PRESENT | PM_SWAP), cp = c & (PM_PRESENT | PM_SWAP);

	if (!pp && !cp)
		return PT_CMP_NONE;
	if (!cp)
		return PT_CMP_ONLY_PARENT;
	if (!pp)
		return PT_CMP_ONLY_CHILD;
	if ((p & PM_PRESENT) && (c & PM_PRESENT)) {
		if (!(p & PM_PFN_MASK) || !(c & PM_PFN_MASK))
			*hidden = true;
		return (p & PM_PFN_MASK) == (c & PM_PFN_MASK) ?
			       PT_CMP_SHARED : PT_CMP_COPIED;
	}
	/* both swapped: the same swap entry is the same page */
	if ((p & PM_SWAP) && (c & PM_SWAP))
		return (p & PM_PFN_MASK) == (c & PM_PFN_MASK) ?
			       PT_CMP_SHARED : PT_CMP_COPIED;
	return PT_CMP_COPIED;
}

static const char *pt_cmp_level(bool huge)
{
	return huge ? "huge" : "pte";
}

/* The columns of parent against child (-o, --output help, the man page). */
#define PT_CRUN(v) const struct pt_cmp_run *r = (v)

static enum pt_cell_role pt_cc_start(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_CRUN(row);
	(void)ctx;
	snprintf(b, n, "0x%016" PRIx64, r->start);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_cc_end(char *b, size_t n, const void *row,
				   const void *ctx)
{
	PT_CRUN(row);
	(void)ctx;
	snprintf(b, n, "0x%016" PRIx64, r->end);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_cc_pages(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_CRUN(row);
	(void)ctx;
	snprintf(b, n, "%" PRIu64, (r->end - r->start) / 4096);
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_cc_bytes(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_CRUN(row);
	(void)ctx;
	snprintf(b, n, "%" PRIu64, r->end - r->start);
	return PT_CELL_PLAIN;
}

/* what the fork has copied is the question: it stands out */
static enum pt_cell_role pt_cc_class(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_CRUN(row);
	(void)ctx;
	snprintf(b, n, "%s", pt_cmp_names[r->cls]);
	return r->cls == PT_CMP_SHARED ? PT_CELL_DIM : PT_CELL_STRONG;
}

static enum pt_cell_role pt_cc_parent(char *b, size_t n, const void *row,
				      const void *ctx)
{
	PT_CRUN(row);
	(void)ctx;
	snprintf(b, n, "%s",
		 r->cls == PT_CMP_ONLY_CHILD ? "-" : pt_cmp_level(r->p_huge));
	return PT_CELL_PLAIN;
}

static enum pt_cell_role pt_cc_child(char *b, size_t n, const void *row,
				     const void *ctx)
{
	PT_CRUN(row);
	(void)ctx;
	snprintf(b, n, "%s",
		 r->cls == PT_CMP_ONLY_PARENT ? "-" : pt_cmp_level(r->c_huge));
	return PT_CELL_PLAIN;
}

#define D PT_COLF_DEFAULT
#define R PT_COLF_RIGHT
/* X(name, header, flags, width, function, help) */
#define PT_CMP_COLS(X)                                                       \
	X("start", "START", D, 18, pt_cc_start, "first address of the run")  \
	X("end", "END", D, 18, pt_cc_end, "address after its last byte")     \
	X("pages", "PAGES", D | R, 8, pt_cc_pages, "4 KiB pages in the run") \
	X("class", "CLASS", D, 11, pt_cc_class,                              \
	  "shared, copied, only-parent or only-child")                       \
	X("parent", "PARENT", D, 6, pt_cc_parent,                            \
	  "the parent's level: pte, huge, or - (none)")                      \
	X("child", "CHILD", D, 5, pt_cc_child,                               \
	  "the child's level: pte, huge, or - (none)")                       \
	X("bytes", "BYTES", R, 0, pt_cc_bytes, "bytes in the run")

const struct pt_col pt_cmp_cols[] = {
#define PT_CMP_COL(nm, hd, fl, w, fn, hp) \
	{ .name = nm, .header = hd, .help = hp, .flags = fl, .width = w, .fmt = fn },
	PT_CMP_COLS(PT_CMP_COL)
#undef PT_CMP_COL
};
const size_t pt_cmp_nr_cols = sizeof(pt_cmp_cols) / sizeof(pt_cmp_cols[0]);
#undef D
#undef R

int pt_cmp_table(struct pt_table *t, const char *list, struct pt_err *err)
{
	return pt_table_init(t, pt_cmp_cols, pt_cmp_nr_cols, list, err);
}

static void pt_cmp_emit(struct pt_cmp *c)
{
	const struct pt_cmp_run *r = &c->run;

	if (!c->open)
		return;
	c->open = false;
	c->nr_runs++;
	if (c->o->json) {
		pt_json_obj_begin(&c->json, NULL);
		pt_json_hex(&c->json, "start", r->start);
		pt_json_hex(&c->json, "end", r->end);
		pt_json_u64(&c->json, "pages", (r->end - r->start) / 4096);
		pt_json_str(&c->json, "class", pt_cmp_names[r->cls]);
		pt_json_str(&c->json, "parent_level",
			    r->cls == PT_CMP_ONLY_CHILD ? "none" : pt_cmp_level(r->p_huge));
		pt_json_str(&c->json, "child_level",
			    r->cls == PT_CMP_ONLY_PARENT ? "none" : pt_cmp_level(r->c_huge));
		pt_json_obj_end(&c->json);
		return;
	}
	pt_table_row(stdout, &c->tab, r, NULL);
}

static void pt_cmp_page(struct pt_cmp *c, uint64_t a, uint64_t p, uint64_t ch,
			bool p_huge, bool c_huge)
{
	enum pt_cmp_class cls = pt_cmp_classify(p, ch, &c->hidden);
	struct pt_cmp_run *r = &c->run;

	if (cls == PT_CMP_NONE) {
		pt_cmp_emit(c);
		return;
	}
	c->pages[cls]++;
	if (cls == PT_CMP_SHARED || cls == PT_CMP_COPIED) {
		/* one side's huge leaf is 4 KiB entries on the other */
		if (p_huge != c_huge && (a >> 21) + 1 != c->last_split_block) {
			c->huge_split++;
			c->last_split_block = (a >> 21) + 1;
		}
	}
	if (c->open && r->end == a && r->cls == cls &&
	    r->p_huge == p_huge && r->c_huge == c_huge) {
		r->end = a + 4096;
		return;
	}
	pt_cmp_emit(c);
	c->open = true;
	*r = (struct pt_cmp_run){ .start = a, .end = a + 4096, .cls = cls,
				  .p_huge = p_huge, .c_huge = c_huge };
}

/*
 * The union of both processes' mappings inside [start, end), below the
 * task size: the gate area ([vsyscall]) has no pagemap words, and an
 * interval ending at the top of the address space would wrap the walk's
 * chunk arithmetic back to 0.
 */
static int pt_cmp_intervals(const struct pt_maps *pm, const struct pt_maps *cm,
			    uint64_t start, uint64_t end, uint64_t **iv,
			    size_t *nr)
{
	size_t i = 0, j = 0, n = 0;
	uint64_t *v, a, b;

	if (end > PT_USER_ADDR_MAX + 4096)
		end = PT_USER_ADDR_MAX + 4096;
	v = malloc((pm->nr + cm->nr) * 2 * sizeof(*v) + 1);
	if (!v)
		return -1;
	while (i < pm->nr || j < cm->nr) {
		const struct pt_maps_row *r;

		if (j >= cm->nr || (i < pm->nr && pm->rows[i].start <= cm->rows[j].start))
			r = &pm->rows[i++];
		else
			r = &cm->rows[j++];
		a = r->start > start ? r->start : start;
		b = r->end < end ? r->end : end;
		if (a >= b)
			continue;
		if (n && a <= v[n - 1]) {
			if (b > v[n - 1])
				v[n - 1] = b;
			continue;
		}
		v[n++] = a;
		v[n++] = b;
	}
	*iv = v;
	*nr = n / 2;
	return 0;
}

/*
 * The mappings of one side that met [a, ae) when the walk began are still
 * there, the same.  @i: the first of @m's rows that may still meet the
 * walk, which goes up in address order.
 */
static int pt_cmp_check(struct pt_pm_chunk *c, const struct pt_maps *m,
			size_t *i, uint64_t a, uint64_t ae, struct pt_err *err)
{
	struct pt_intern pool = { 0 };	/* the paths, not kept */
	struct pt_vma v;
	int ret = 0;
	size_t k;

	while (*i < m->nr && m->rows[*i].end <= a)
		(*i)++;
	for (k = *i; k < m->nr && m->rows[k].start < ae && !ret; k++)
		if (!pt_maps_parse_line(m->rows[k].line, &v, &pool))
			ret = pt_pm_chunk_check(c, &v, a, err);
	pt_intern_free(&pool);
	return ret;
}

/*
 * A mapping that changed or went away between maps and the pagemap read
 * is a note: its chunk is not counted (its words may be zeros of an
 * unmap), and the walk goes on.  An exit, or /proc refusing a living
 * process, ends the walk.
 */
static int pt_cmp_vma_gone(struct pt_source *src, int ret,
			   const struct pt_err *err)
{
	const char *why = strstr(err->msg, ": ");
	char *note = src->note;
	size_t n = strlen(note);

	if (ret != -PT_CHANGED)
		return ret;
	/* "walk stopped at ADDR: WHY": once per mapping, not per chunk */
	why = why ? why + 2 : err->msg;
	if (!strstr(note, why))
		snprintf(note + n, sizeof(src->note) - n,
			 "%s%s while compared (its pages from then on not counted)",
			 n ? "; " : "", why);
	return 0;
}

/*
 * Chunk by chunk, both pagemaps, then both sides' mappings: an unmapped
 * range reads as zeros, which would count as pages only on the other
 * side, so a chunk is compared only once its mappings are known to have
 * stayed (an exit shows in the pagemap read itself).  Holes of both sides
 * are passed with PAGEMAP_SCAN: a chunk starts at the first page either
 * side has populated.
 */
static int pt_cmp_walk(struct pt_cmp *c, struct pt_source *src,
		       const uint64_t *iv, size_t nr_iv,
		       struct pt_pm_chunk *pc, struct pt_pm_chunk *cc,
		       const struct pt_maps *pm, const struct pt_maps *cm,
		       struct pt_err *err)
{
	uint64_t step = pt_pm_chunk_pages() * 4096, a, ae, x, hi, np, nc;
	size_t k, i, pi = 0, ci = 0;
	int ret;

	for (k = 0; k < nr_iv; k++) {
		hi = iv[2 * k + 1];
		for (a = iv[2 * k]; a < hi; a = ae) {
			ret = pt_pm_chunk_next(pc, a, hi, &np, err);
			if (!ret)
				ret = pt_pm_chunk_next(cc, a, hi, &nc, err);
			if (ret)
				return ret;
			a = np < nc ? np : nc;
			if (a >= hi)
				break;
			/* the next multiple of step; hi < 2^56, no wrap */
			ae = (a | (step - 1)) + 1;
			if (ae > hi)
				ae = hi;
			ret = pt_pm_chunk_read(pc, a, ae, err);
			if (!ret)
				ret = pt_pm_chunk_read(cc, a, ae, err);
			if (ret)
				return ret;
			ret = pt_cmp_check(pc, pm, &pi, a, ae, err);
			if (!ret)
				ret = pt_cmp_check(cc, cm, &ci, a, ae, err);
			if (ret) {
				ret = pt_cmp_vma_gone(src, ret, err);
				if (ret)
					return ret;
				memset(err, 0, sizeof(*err));
				pt_cmp_emit(c);
				continue;
			}
			for (i = 0, x = a; x < ae; i++, x += 4096)
				pt_cmp_page(c, x, pc->words[i], cc->words[i],
					    pc->huge[i], cc->huge[i]);
		}
		pt_cmp_emit(c);
	}
	return 0;
}

static void pt_cmp_totals(struct pt_cmp *c)
{
	if (c->o->json) {
		pt_json_obj_begin(&c->json, "totals");
		pt_json_u64(&c->json, "shared_pages", c->pages[PT_CMP_SHARED]);
		pt_json_u64(&c->json, "copied_pages", c->pages[PT_CMP_COPIED]);
		pt_json_u64(&c->json, "copied_bytes",
			    c->pages[PT_CMP_COPIED] * 4096);
		pt_json_u64(&c->json, "only_parent_pages",
			    c->pages[PT_CMP_ONLY_PARENT]);
		pt_json_u64(&c->json, "only_child_pages",
			    c->pages[PT_CMP_ONLY_CHILD]);
		pt_json_u64(&c->json, "huge_split", c->huge_split);
		pt_json_u64(&c->json, "runs", c->nr_runs);
		pt_json_obj_end(&c->json);
		return;
	}
	printf("totals: shared %" PRIu64 " pages, copied %" PRIu64
	       " pages (%" PRIu64 " bytes), only in parent %" PRIu64
	       " pages, only in child %" PRIu64 " pages, huge leaves split %"
	       PRIu64 "; %" PRIu64 " runs\n",
	       c->pages[PT_CMP_SHARED], c->pages[PT_CMP_COPIED],
	       c->pages[PT_CMP_COPIED] * 4096, c->pages[PT_CMP_ONLY_PARENT],
	       c->pages[PT_CMP_ONLY_CHILD], c->huge_split, c->nr_runs);
}

int pt_range_compare(const struct pt_range_req *o, struct pt_source *src,
		     uint64_t start, uint64_t end, struct pt_err *err)
{
	struct pt_pm_chunk pc, cc;
	struct pt_maps pm, cm;
	struct pt_cmp *c;
	uint64_t *iv = NULL;
	size_t nr_iv;
	int ret;

	c = calloc(1, sizeof(*c));
	if (!c)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	c->o = o;
	ret = pt_cmp_table(&c->tab, o->output, err);
	if (ret < 0)
		goto out_free;
	c->tab.noheadings = o->noheadings;
	c->tab.raw = o->raw_table;
	c->tab.color = !o->json && pt_color_use(o->color, stdout);
	ret = pt_maps_read(o->pid, &pm, err);
	if (ret < 0)
		goto out_free;
	ret = pt_maps_read(o->child, &cm, err);
	if (ret < 0)
		goto out_pm;
	if (pt_cmp_intervals(&pm, &cm, start, end, &iv, &nr_iv) < 0) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_cm;
	}
	if (!nr_iv) {
		ret = pt_err_set(err, PT_NOT_MAPPED,
				 "nothing is mapped in 0x%" PRIx64 "-0x%" PRIx64
				 " in process %d or %d",
				 start, end, (int)o->pid, (int)o->child);
		goto out_iv;
	}
	ret = pt_pm_chunk_open(&pc, o->pid, err);
	if (ret < 0)
		goto out_iv;
	ret = pt_pm_chunk_open(&cc, o->child, err);
	if (ret < 0)
		goto out_pc;
	if (o->json) {
		pt_json_init(&c->json, stdout, true);
		pt_json_obj_begin(&c->json, NULL);
		pt_json_u64(&c->json, "ptinspect", PT_JSON_RANGE_VERSION);
		pt_json_str(&c->json, "kernel", src->release);
		pt_json_str(&c->json, "arch", src->layout.arch->name);
		pt_json_str(&c->json, "source", "pagemap");
		pt_json_i64(&c->json, "pid", o->pid);
		pt_json_i64(&c->json, "child", o->child);
		pt_json_obj_begin(&c->json, "range");
		pt_json_hex(&c->json, "start", start);
		pt_json_hex(&c->json, "end", end);
		pt_json_bool(&c->json, "all", o->all);
		pt_json_obj_end(&c->json);
		pt_json_arr_begin(&c->json, "runs");
	} else if (o->output || o->noheadings || o->raw_table) {
		/* the table alone */
		pt_table_header(stdout, &c->tab);
	} else {
		printf("ptinspect · %s %s · pid %d against child %d · range 0x%"
		       PRIx64 "-0x%" PRIx64 "\n", src->release,
		       src->layout.arch->name, (int)o->pid, (int)o->child,
		       start, end);
		printf("source pagemap: PFNs of both processes%s\n",
		       strcmp(src->name, "pagemap") ? " (the module has no two-process walk)" : "");
		pt_table_header(stdout, &c->tab);
	}
	ret = pt_cmp_walk(c, src, iv, nr_iv, &pc, &cc, &pm, &cm, err);
	pt_cmp_emit(c);
	if (!ret && c->hidden)
		ret = pt_err_set(err, PT_PERM,
				 "PFNs read as 0: comparing parent and child needs CAP_SYS_ADMIN (run as root)");
	if (o->json) {
		pt_json_arr_end(&c->json);
		pt_cmp_totals(c);
		pt_rd_stopped_json(&c->json, ret, err);
		pt_json_obj_end(&c->json);
		pt_json_end(&c->json);
	} else if (!o->output && !o->noheadings && !o->raw_table) {
		pt_cmp_totals(c);
	}
	pt_pm_chunk_close(&cc);
out_pc:
	pt_pm_chunk_close(&pc);
out_iv:
	free(iv);
out_cm:
	pt_maps_free(&cm);
out_pm:
	pt_maps_free(&pm);
out_free:
	free(c);
	return ret;
}
