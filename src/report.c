// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "jsonfield.h"
#include "kpageflags.h"
#include "report.h"

#define PT_LINES_MAX 64
#define PT_LINE_MAX 160

/* Text laid out in lines of at most @width columns, for side by side. */
struct pt_lines {
	unsigned int width;
	bool compact;		/* short bit names (the grid's titles) */
	size_t n;
	char line[PT_LINES_MAX][PT_LINE_MAX];
};

static __attribute__((format(printf, 2, 3))) void
pt_lines_printf(struct pt_lines *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n >= PT_LINES_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(l->line[l->n], PT_LINE_MAX, fmt, ap);
	va_end(ap);
	if (strlen(l->line[l->n]) > l->width)
		l->line[l->n][l->width] = '\0';
	l->n++;
}

/* Word-wraps @text (space separated) into lines starting with @indent. */
static void pt_lines_wrap(struct pt_lines *l, const char *indent,
			  const char *text)
{
	char cur[PT_LINE_MAX];
	size_t ind = strlen(indent), len, wl;
	const char *p = text;

	snprintf(cur, sizeof(cur), "%s", indent);
	len = ind;
	while (*p) {
		while (*p == ' ')
			p++;
		wl = strcspn(p, " ");
		if (!wl)
			break;
		if (len > ind && len + 1 + wl > l->width) {
			pt_lines_printf(l, "%s", cur);
			snprintf(cur, sizeof(cur), "%s", indent);
			len = ind;
		}
		if (len + 1 + wl < sizeof(cur)) {
			if (len > ind)
				cur[len++] = ' ';
			memcpy(cur + len, p, wl);
			len += wl;
			cur[len] = '\0';
		}
		p += wl;
	}
	if (len > ind)
		pt_lines_printf(l, "%s", cur);
}

static void pt_cat(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pt_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

const char *pt_report_size(uint64_t size, char *buf, size_t len)
{
	if (size >= (1ull << 30))
		snprintf(buf, len, "%" PRIu64 "G", size >> 30);
	else if (size >= (1ull << 20))
		snprintf(buf, len, "%" PRIu64 "M", size >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "K", size >> 10);
	return buf;
}

/* The set bits of a raw entry, by name or abbreviation; unknown as bitN?. */
void pt_report_bits_text(const struct pt_layout *ly, enum pt_level l,
			 uint64_t raw, bool compact, char *buf, size_t len)
{
	struct pt_decoded d;
	char val[32];
	size_t i;
	int b;

	buf[0] = '\0';
	pt_decode(ly, l, raw, &d);
	for (i = 0; i < ly->nr_rows; i++) {
		const struct pt_bit *r = &ly->rows[i];

		if (!pt_row_applies(r, l, d.state) || !pt_row_shown(ly, r, raw))
			continue;
		if (r->flags & PT_BIT_FIELD)
			pt_cat(buf, len, "%s=%s ", compact ? r->abbr : r->name,
			       pt_field_text(ly, r, raw, compact, val,
					     sizeof(val)));
		else
			pt_cat(buf, len, "%s ", compact ? r->abbr : r->name);
	}
	for (b = 0; b < 64; b++)
		if (d.unknown & (1ull << b))
			pt_cat(buf, len, "bit%d? ", b);
}

static void pt_pagemap_text(const struct pt_pagemap *pm, char *buf,
			    size_t len)
{
	buf[0] = '\0';
	if (!pm->valid)
		return;
	if (pm->present)
		pt_cat(buf, len, "present ");
	if (pm->swapped)
		pt_cat(buf, len, "swapped type=%u offset=0x%" PRIx64 " ",
		       pm->swp_type, pm->swp_offset);
	if (!pm->present && !pm->swapped)
		pt_cat(buf, len, "not-present ");
	if (pm->present || pm->swapped)
		pt_cat(buf, len, "%s ", pm->exclusive ? "exclusive" : "shared");
	if (pm->file_shared)
		pt_cat(buf, len, "file/shared ");
	if (pm->soft_dirty)
		pt_cat(buf, len, "soft-dirty ");
	if (pm->uffd_wp)
		pt_cat(buf, len, "uffd-wp ");
	if (pm->guard)
		pt_cat(buf, len, "guard ");
	if (pm->scan_huge == 1)
		pt_cat(buf, len, "huge ");
	if (pm->present && pm->pfn_hidden)
		pt_cat(buf, len, "pfn=hidden ");
	else if (pm->present)
		pt_cat(buf, len, "pfn=0x%" PRIx64 " ", pm->pfn);
}

static void pt_kpf_text(const struct pt_pagemap *pm, unsigned int kver, char *buf, size_t len)
{
	struct pt_kpf_erratum_seen er[2];
	size_t n = pt_kpf_errata(pm->kpageflags, kver, pm->ksm, er, 2), k;
	const char *name;
	unsigned int b;

	buf[0] = '\0';
	for (b = 0; b < 64; b++) {
		if (!(pm->kpageflags & (1ull << b)))
			continue;
		name = pt_kpf_name_in(b, pm->kpageflags);
		if (name)
			pt_cat(buf, len, "%s ", name);
		else
			pt_cat(buf, len, "kpf%u ", b);
		/* the flag is (or may be) the kernel's mistake: say so beside it */
		for (k = 0; name && k < n; k++)
			if (er[k].applies && !strcmp(er[k].flag, name))
				pt_cat(buf, len, "(%s) ", er[k].text);
	}
	if (pm->has_kpagecount)
		pt_cat(buf, len, "mapcount=%" PRIu64, pm->kpagecount);
}

static void pt_level_lines(struct pt_lines *out, const struct pt_layout *ly,
			   const struct pt_walk *w, enum pt_level l)
{
	const struct pt_entry *e = &w->level[l];
	char bits[512], sz[16], pfn[32];
	struct pt_decoded d;

	if (!e->has_raw) {
		/* derived from /proc: the state and what pagemap says */
		pfn[0] = '\0';
		if (e->state == PT_STATE_LEAF && !w->pm.pfn_hidden)
			snprintf(pfn, sizeof(pfn), " pfn 0x%" PRIx64, w->pm.pfn);
		pt_lines_printf(out, "%s %s%s%s (derived)", pt_level_name(l),
				pt_state_name(e->state),
				e->state == PT_STATE_LEAF ? " " : "",
				e->state == PT_STATE_LEAF ?
					pt_report_size(1ull << ly->arch->shift(ly, l),
						     sz, sizeof(sz)) : "");
		if (pfn[0])
			pt_lines_printf(out, "   %s", pfn + 1);
		return;
	}
	pt_decode(ly, l, e->raw, &d);
	pt_report_bits_text(ly, l, e->raw, out->compact, bits, sizeof(bits));
	if (d.size)
		pt_lines_printf(out, "%s 0x%016" PRIx64 " %s %s", pt_level_name(l),
				e->raw, pt_state_name(d.state),
				pt_report_size(d.size, sz, sizeof(sz)));
	else
		pt_lines_printf(out, "%s 0x%016" PRIx64 " %s%s", pt_level_name(l),
				e->raw, pt_state_name(d.state),
				e->user_copy ? " (PTI user copy)" : "");
	if (d.has_pfn)
		pt_lines_printf(out, "   pfn 0x%" PRIx64, d.pfn);
	else if (d.state != PT_STATE_NONE)
		pt_lines_printf(out, "   type %u offset 0x%" PRIx64, d.swp_type,
				d.swp_offset);
	pt_lines_wrap(out, "   ", bits);
	if (!out->compact && d.state != PT_STATE_TABLE &&
	    d.state != PT_STATE_NONE)
		pt_lines_printf(out, "   helpers: write=%d dirty=%d young=%d",
				d.sum.write, d.sum.dirty, d.sum.young);
}

static void pt_walk_lines(struct pt_lines *out, const struct pt_layout *ly,
			  const struct pt_walk *w)
{
	char buf[1024];
	unsigned int levels = pt_layout_levels(ly), i;
	int l;

	pt_lines_printf(out, "vma 0x%" PRIx64 "-0x%" PRIx64 " %s %s", w->vma.start,
			w->vma.end, w->vma.perms, pt_vma_kind_name(w->vma.kind));
	if (w->vma.path[0])
		pt_lines_printf(out, "   %s", w->vma.path);
	if (!out->compact && w->vma.has_flags) {
		buf[0] = '\0';
		for (i = 0; i < w->vma.nr_flags; i++)
			pt_cat(buf, sizeof(buf), "%s ", w->vma.flags[i]);
		pt_lines_wrap(out, "   VmFlags: ", buf);
	}
	for (l = 0; l < PT_NR_LEVELS; l++)
		if ((levels & PT_L(l)) && w->level[l].state != PT_STATE_ABSENT)
			pt_level_lines(out, ly, w, l);
	if (pt_walk_leaf(w) < 0 && !w->level[PT_PGD].has_raw)
		pt_lines_printf(out, "(no entry: the page is not populated)");
	pt_pagemap_text(&w->pm, buf, sizeof(buf));
	if (w->pm.valid) {
		if (out->compact)
			pt_lines_wrap(out, "pm: ", buf);
		else
			pt_lines_wrap(out, "pagemap: ", buf);
	}
	if (w->pm.has_kpageflags) {
		pt_kpf_text(&w->pm, ly->kver, buf, sizeof(buf));
		pt_lines_wrap(out, out->compact ? "kpf: " : "kpageflags: ", buf);
	}
}

void pt_report_header(FILE *f, const struct pt_layout *ly,
		      const struct pt_walk *w)
{
	fprintf(f, "ptinspect · %s %s · pid %d · addr 0x%" PRIx64 "\n",
		w->release, ly->arch->name, (int)w->pid, w->addr);
	fprintf(f, "source %s\n",
		!strcmp(w->source, "kmod") ?
			"kmod: raw entries from ptdump_helper" :
			"pagemap: derived from /proc, no raw entry bits");
	if (ly->kmod_diff[0])
		fprintf(f, "layout: the running kernel differs from the built-in table: %s\n",
			ly->kmod_diff);
}

static void pt_lines_print(FILE *f, const struct pt_lines *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		fprintf(f, "%s\n", out->line[i]);
}

/*
 * The lines are the caller's, on its stack (10 KiB a column): nothing
 * survives a call, so two views, or two threads, may print at once.
 */
void pt_report_text(FILE *f, const struct pt_layout *ly,
		    const struct pt_walk *w)
{
	struct pt_lines out = { .width = 100 };

	pt_walk_lines(&out, ly, w);
	pt_lines_print(f, &out);
}

void pt_report_entry_text(FILE *f, const struct pt_layout *ly,
			  const struct pt_walk *w, enum pt_level l)
{
	struct pt_lines out = { .width = 100 };

	pt_level_lines(&out, ly, w, l);
	pt_lines_print(f, &out);
}

void pt_report_text_pair(FILE *f, const struct pt_layout *ly,
			 const struct pt_walk *parent,
			 const struct pt_walk *child)
{
	struct pt_lines a = { .width = 38, .compact = true };
	struct pt_lines b = { .width = 38, .compact = true };
	size_t i;

	pt_lines_printf(&a, "parent %d", (int)parent->pid);
	pt_lines_printf(&b, "child %d", (int)child->pid);
	pt_walk_lines(&a, ly, parent);
	pt_walk_lines(&b, ly, child);
	for (i = 0; i < a.n || i < b.n; i++)
		fprintf(f, "%-38s  %s\n", i < a.n ? a.line[i] : "",
			i < b.n ? b.line[i] : "");
}

void pt_report_json_bits(struct pt_json *j, const struct pt_layout *ly,
			 enum pt_level l, uint64_t raw)
{
	struct pt_decoded d;
	size_t i;
	int b;

	pt_decode(ly, l, raw, &d);
	pt_json_obj_begin(j, "bits");
	for (i = 0; i < ly->nr_rows; i++) {
		const struct pt_bit *r = &ly->rows[i];

		if (!pt_row_applies(r, l, d.state))
			continue;
		if (r->flags & PT_BIT_FIELD)
			pt_json_u64(j, r->name, pt_row_value(r, raw));
		else
			pt_json_bool(j, r->name, pt_row_value(r, raw));
	}
	pt_json_obj_end(j);
	/* the fields' values by name, where the value has one */
	pt_json_obj_begin(j, "names");
	for (i = 0; i < ly->nr_rows; i++) {
		const struct pt_bit *r = &ly->rows[i];
		const struct pt_value *n;

		if (!(r->flags & PT_BIT_FIELD) ||
		    !pt_row_applies(r, l, d.state))
			continue;
		n = pt_layout_value(ly, r, pt_row_value(r, raw));
		if (n)
			pt_json_str(j, r->name, n->name);
	}
	pt_json_obj_end(j);
	pt_json_arr_begin(j, "unknown");
	for (b = 0; b < 64; b++) {
		char name[8];

		if (!(d.unknown & (1ull << b)))
			continue;
		snprintf(name, sizeof(name), "bit%d", b);
		pt_json_str(j, NULL, name);
	}
	pt_json_arr_end(j);
	if (d.state == PT_STATE_TABLE)
		return;
	pt_json_obj_begin(j, "helpers");
	pt_json_bool(j, "present", d.sum.present);
	pt_json_bool(j, "write", d.sum.write);
	pt_json_bool(j, "dirty", d.sum.dirty);
	pt_json_bool(j, "young", d.sum.young);
	pt_json_bool(j, "huge", d.sum.huge);
	pt_json_bool(j, "special", d.sum.special);
	pt_json_bool(j, "soft_dirty", d.sum.soft_dirty);
	pt_json_bool(j, "uffd_wp", d.sum.uffd_wp);
	pt_json_obj_end(j);
}

static void pt_json_level(struct pt_json *j, const struct pt_layout *ly,
			  const struct pt_walk *w, enum pt_level l)
{
	const struct pt_entry *e = &w->level[l];
	struct pt_decoded d;

	pt_json_obj_begin(j, NULL);
	pt_json_str(j, "level", pt_level_name(l));
	pt_json_hex(j, "va", e->va);
	if (!e->has_raw) {
		pt_json_str(j, "state", pt_state_name(e->state));
		pt_json_bool(j, "derived", true);
		if (e->state == PT_STATE_LEAF) {
			if (w->pm.pfn_hidden)
				pt_json_null(j, "pfn");
			else
				pt_json_hex(j, "pfn", w->pm.pfn);
			pt_json_u64(j, "size", 1ull << ly->arch->shift(ly, l));
		}
		pt_json_obj_begin(j, "bits");
		pt_json_bool(j, "present", w->pm.present);
		pt_json_bool(j, "huge", l != PT_PTE);
		pt_json_bool(j, "soft_dirty", w->pm.soft_dirty);
		pt_json_bool(j, "uffd_wp", w->pm.uffd_wp);
		pt_json_bool(j, "exclusive", w->pm.exclusive);
		pt_json_obj_end(j);
		pt_json_obj_end(j);
		return;
	}
	pt_decode(ly, l, e->raw, &d);
	pt_json_str(j, "state", pt_state_name(d.state));
	pt_json_bool(j, "derived", false);
	pt_json_hex(j, "raw", e->raw);
	if (e->user_copy)
		pt_json_str(j, "copy", "user");
	if (d.has_pfn)
		pt_json_hex(j, "pfn", d.pfn);
	if (d.size)
		pt_json_u64(j, "size", d.size);
	if (pt_state_shape(d.state) == PT_SHAPE_NONPRESENT) {
		pt_json_obj_begin(j, "swap");
		pt_json_u64(j, "type", d.swp_type);
		pt_json_hex(j, "offset", d.swp_offset);
		pt_json_obj_end(j);
	}
	if (d.state != PT_STATE_NONE)
		pt_report_json_bits(j, ly, l, e->raw);
	pt_json_obj_end(j);
}

static void pt_json_pagemap(struct pt_json *j, const struct pt_pagemap *pm, unsigned int kver)
{
	struct pt_kpf_erratum_seen er[2];
	size_t n, k;

	if (!pm->valid) {
		pt_json_null(j, "pagemap");
		return;
	}
	pt_json_obj_begin(j, "pagemap");
	pt_json_hex(j, "word", pm->word);
	pt_json_pm_flags(j, pm);
	if (pm->scan_huge < 0)
		pt_json_null(j, "huge");
	else
		pt_json_bool(j, "huge", pm->scan_huge);
	if (pm->present && !pm->pfn_hidden)
		pt_json_hex(j, "pfn", pm->pfn);
	else
		pt_json_null(j, "pfn");
	pt_json_bool(j, "pfn_hidden", pm->pfn_hidden);
	if (pm->swapped) {
		pt_json_obj_begin(j, "swap");
		pt_json_u64(j, "type", pm->swp_type);
		pt_json_hex(j, "offset", pm->swp_offset);
		pt_json_obj_end(j);
	}
	if (pm->has_kpageflags) {
		pt_json_obj_begin(j, "kpageflags");
		pt_json_hex(j, "raw", pm->kpageflags);
		pt_kpf_json(j, "flags", pm->kpageflags);
		n = pt_kpf_errata(pm->kpageflags, kver, pm->ksm, er, 2);
		pt_json_arr_begin(j, "errata");
		for (k = 0; k < n; k++) {
			pt_json_obj_begin(j, NULL);
			pt_json_str(j, "id", er[k].id);
			pt_json_str(j, "flag", er[k].flag);
			pt_json_bool(j, "applies", er[k].applies);
			pt_json_str(j, "text", er[k].text);
			pt_json_obj_end(j);
		}
		pt_json_arr_end(j);
		pt_json_obj_end(j);
	}
	if (pm->has_kpagecount)
		pt_json_u64(j, "kpagecount", pm->kpagecount);
	pt_json_obj_end(j);
}

void pt_report_json(struct pt_json *j, const char *key,
		    const struct pt_layout *ly, const struct pt_walk *w)
{
	unsigned int levels = pt_layout_levels(ly), i;
	int l;

	pt_json_obj_begin(j, key);
	pt_json_u64(j, "ptinspect", PT_JSON_VERSION);
	pt_json_str(j, "kernel", w->release);
	pt_json_str(j, "arch", ly->arch->name);
	pt_json_str(j, "source", w->source);
	pt_json_i64(j, "pid", w->pid);
	pt_json_hex(j, "addr", w->addr);
	pt_json_obj_begin(j, "vma");
	pt_json_hex(j, "start", w->vma.start);
	pt_json_hex(j, "end", w->vma.end);
	pt_json_str(j, "perms", w->vma.perms);
	pt_json_str(j, "kind", pt_vma_kind_name(w->vma.kind));
	pt_json_hex(j, "offset", w->vma.pgoff);
	if (w->vma.has_flags) {
		pt_json_arr_begin(j, "flags");
		for (i = 0; i < w->vma.nr_flags; i++)
			pt_json_str(j, NULL, w->vma.flags[i]);
		pt_json_arr_end(j);
	} else {
		pt_json_null(j, "flags");
	}
	if (w->vma.path[0])
		pt_json_str(j, "path", w->vma.path);
	else
		pt_json_null(j, "path");
	pt_json_obj_end(j);
	pt_json_arr_begin(j, "levels");
	for (l = 0; l < PT_NR_LEVELS; l++)
		if ((levels & PT_L(l)) && w->level[l].state != PT_STATE_ABSENT)
			pt_json_level(j, ly, w, l);
	pt_json_arr_end(j);
	pt_json_pagemap(j, &w->pm, ly->kver);
	pt_json_obj_end(j);
}
