// SPDX-License-Identifier: GPL-2.0
/* ptinspect maps: a process's mappings and what populates them. */
#include <stdio.h>
#include <stdlib.h>

#include "mapsview.h"
#include "procfs.h"
#include "options.h"

int pt_cmd_maps(const struct pt_options *o, struct pt_err *err)
{
	struct pt_vmalist l;
	struct pt_source *src;
	struct pt_table t;
	struct pt_json j;
	int ret;

	ret = pt_mapsview_table(&t, o->output, o->child, err);
	if (ret < 0)
		return ret;
	t.noheadings = o->noheadings;
	t.raw = o->raw_table;
	t.color = !o->json && pt_color_use(o->color, stdout);
	ret = pt_source_new(&src, o->backend, o->pid, o->child, err);
	if (ret < 0)
		return ret;
	ret = pt_vmalist_read(src, o->pid, o->child, &l, err);
	if (ret < 0)
		goto out_free;
	pt_vmalist_sort(&l, (enum pt_vmalist_sort)o->sort);
	if (o->json) {
		pt_json_init(&j, stdout, true);
		pt_mapsview_json(&j, &l, src->release, src->name);
		pt_json_end(&j);
	} else {
		ret = pt_mapsview_text(stdout, &t, &l, err);
		/* the table alone with -o, --noheadings or --raw */
		if (!ret && !o->output && !o->noheadings && !o->raw_table)
			pt_mapsview_totals(stdout, &l);
	}
	fflush(stdout);
	if (l.stopped && !o->json)
		fprintf(stderr, "ptinspect: note: %s\n", l.stopped_msg);
	if (l.child && l.pfn_hidden)
		fprintf(stderr,
			"ptinspect: note: PFNs are hidden (CAP_SYS_ADMIN): shared and copied unknown\n");
	pt_vmalist_free(&l);
out_free:
	pt_source_free(src);
	return ret;
}
