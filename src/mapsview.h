/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mappings list (vmalist.h) as a table (`ptinspect maps`, text), as
 * JSON (doc/ptinspect-maps.schema.json) and as the lines the TUI's list
 * lays out.  Its columns are one table (PT_MAPS_COLS in mapsview.c): -o,
 * --output help, the man page and every printer follow it.
 */
#ifndef PT_MAPSVIEW_H
#define PT_MAPSVIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"
#include "json.h"
#include "vmalist.h"

#define PT_JSON_MAPS_VERSION 1

extern const struct pt_col pt_maps_cols[];
extern const size_t pt_maps_nr_cols;

/* The columns @list names (NULL: the defaults, and shared,copied beside a child). */
int pt_mapsview_table(struct pt_table *t, const char *list, bool child,
		      struct pt_err *err);
int pt_mapsview_text(FILE *f, const struct pt_table *t,
		     const struct pt_vmalist *l, struct pt_err *err);
/* The whole document: every column whatever -o says (the schema's). */
/*
 * Beside a child: "shared S, copied C: N% of the pages both map copied"
 * into @buf ("" without a child or PFNs); pt_mapsview_totals() prints it
 * as "totals: ... (pages); sorted by KEY".
 */
const char *pt_mapsview_cmp_line(const struct pt_vmalist *l, char *buf,
				 size_t len);
void pt_mapsview_totals(FILE *f, const struct pt_vmalist *l);
void pt_mapsview_json(struct pt_json *j, const struct pt_vmalist *l,
		      const char *kernel, const char *source);
/* "12K", "2M", "1.5G": bytes as lsblk prints sizes */
const char *pt_mapsview_size(uint64_t bytes, char *buf, size_t len);

#endif
