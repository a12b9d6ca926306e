// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "lineview.h"
#include "mapsview.h"
#include "report_lab.h"
#include "scenario.h"
#include "screen.h"

void pt_lineview_step(FILE *f, const struct pt_lab *lab, size_t i, bool json)
{
	const struct pt_lab_step *s;

	if (i >= lab->nr_steps)
		return;
	s = &lab->steps[i];
	if (json)
		pt_report_lab_step_json(f, lab, s);
	else
		pt_report_lab_step(f, lab, s);
}

/* The `maps` command: the list as ptinspect maps prints it, or its JSON. */
static int pt_lineview_maps(FILE *f, const struct pt_lab *lab, const struct pt_cursor *at,
			    bool json, struct pt_err *err)
{
	const struct pt_vmalist *l = at->maps;
	const struct pt_vmalist_row *r;
	struct pt_table t;
	struct pt_json j;
	int ret;

	if (!l) {
		if (!json)
			fprintf(f, "mappings list closed\n");
		return 0;
	}
	if (json) {
		/* one line, as the steps are */
		pt_json_init(&j, f, false);
		pt_mapsview_json(&j, l, lab->src->release, lab->src->name);
		pt_json_end(&j);
		return 0;
	}
	ret = pt_mapsview_table(&t, NULL, l->child, err);
	if (ret < 0)
		return ret;
	if (l->nr) {
		r = &l->rows[at->maps_sel];
		fprintf(f, "mappings of pid %d: %zu/%zu selected, 0x%" PRIx64 "-0x%" PRIx64 "\n",
			(int)l->pid, at->maps_sel + 1, l->nr, r->start, r->end);
	}
	ret = pt_mapsview_text(f, &t, l, err);
	if (!ret)
		pt_mapsview_totals(f, l);
	return ret;
}

int pt_lineview_react(FILE *f, const struct pt_lab *lab, const struct pt_cursor *at,
		      const struct pt_did *did, bool json, struct pt_err *err)
{
	if (did->flags & PT_DID_HELP)
		pt_lineview_help(f);
	if (did->flags & PT_DID_MAPS)
		return pt_lineview_maps(f, lab, at, json, err);
	if (!(did->flags & PT_DID_SHOW))
		return 0;
	switch (did->form) {
	case PT_FORM_SCREEN:
		return pt_screen_write(f, lab, at, &did->cmd, err);
	case PT_FORM_TEXT:
		pt_lineview_step(f, lab, at->cur, false);
		break;
	case PT_FORM_JSON:
		pt_lineview_step(f, lab, at->cur, true);
		break;
	default:
		pt_lineview_step(f, lab, at->cur, json);
	}
	return 0;
}

void pt_lineview_help(FILE *f)
{
	size_t i;

	for (i = 0; i < PT_C_NR; i++)
		fprintf(f, "  %-17s %-34s %s\n", pt_cmd_name(i), pt_cmd_args(i),
			pt_cmd_help(i));
	fprintf(f, "kinds:");
	for (i = 0; i < PT_LAB_NR_KINDS; i++)
		fprintf(f, " %s", pt_lab_kind_name(i));
	fputc('\n', f);
	for (i = 0; i < pt_nr_scenarios; i++)
		fprintf(f, "scenario %s: %s\n", pt_scenarios[i].name, pt_scenarios[i].help);
}
