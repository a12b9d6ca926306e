// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "vmalist.h"

static void pt_interp_maps_close(struct pt_lab *lab)
{
	if (!lab->maps)
		return;
	pt_vmalist_free(lab->maps);
	free(lab->maps);
	lab->maps = NULL;
	lab->maps_sel = 0;
}

/*
 * maps: (re)reads the list of the process's mappings, selecting the one
 * of the watched address when it opens; maps N selects; maps close.
 */
static int pt_interp_maps(struct pt_lab *lab, const struct pt_cmd *cmd,
			  struct pt_did *did, struct pt_err *err)
{
	struct pt_vmalist *l;
	bool opening = !lab->maps;
	long sel;
	int ret;

	did->flags = PT_DID_MAPS;
	if (cmd->close) {
		pt_interp_maps_close(lab);
		return 0;
	}
	if (!lab->pid[0])
		return pt_err_set(err, PT_NO_PID, "no process to list the mappings of");
	/* a selection moves within the list read; maps alone reads it again,
	 * in the order it had, or the one `maps sort KEY` names */
	if (opening || !cmd->n) {
		int sort = cmd->sort >= 0 ? cmd->sort :
			   lab->maps ? (int)lab->maps->sort : PT_VL_SORT_START;

		l = malloc(sizeof(*l));
		if (!l)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		ret = pt_vmalist_read(lab->src, lab->pid[0], lab->pid[1], l, err);
		if (ret < 0) {
			free(l);
			return ret;
		}
		if (lab->maps) {
			pt_vmalist_free(lab->maps);
			free(lab->maps);
		}
		pt_vmalist_sort(l, sort < 0 ? PT_VL_SORT_START : (enum pt_vmalist_sort)sort);
		lab->maps = l;
	}
	l = lab->maps;
	if (cmd->n > 0) {
		if ((size_t)cmd->n > l->nr)
			return pt_err_set(err, PT_USAGE, "there are %zu mappings, not %ld", l->nr,
					  cmd->n);
		lab->maps_sel = (size_t)cmd->n - 1;
	} else if (opening || cmd->sort >= 0) {
		/* the watched mapping, wherever the order puts it */
		sel = pt_vmalist_find(l, lab->addr);
		lab->maps_sel = sel < 0 ? 0 : (size_t)sel;
	}
	if (lab->maps_sel >= l->nr)
		lab->maps_sel = l->nr ? l->nr - 1 : 0;
	return 0;
}

/* next-populated, prev-populated: an `addr` step to the page found. */
static int pt_interp_populated(struct pt_lab *lab, const struct pt_cmd *cmd,
			       struct pt_did *did, struct pt_err *err)
{
	int dir = cmd->id == PT_C_NEXT_POPULATED ? 1 : -1;
	size_t before = lab->cur;
	struct pt_cmd addr = *cmd;
	uint64_t found;
	int ret;

	if (!lab->pid[0])
		return pt_err_set(err, PT_NO_PID, "no process to look in");
	ret = pt_vmalist_step(lab->src, lab->pid[0], lab->addr, dir, &found, err);
	if (ret < 0)
		return ret;
	/* the step is the addr command's; the timeline says what was typed */
	addr.id = PT_C_ADDR;
	addr.rel = false;
	snprintf(addr.addr, sizeof(addr.addr), "0x%" PRIx64, found);
	snprintf(addr.arg, sizeof(addr.arg), "%s", addr.addr);
	ret = pt_lab_event(lab, &addr, err);
	if (ret < 0)
		return ret;
	did->flags = PT_DID_STEP | PT_DID_SHOW | (lab->cur != before ? PT_DID_MOVE : 0);
	return 0;
}

static void pt_interp_show(struct pt_lab *lab, size_t cur, struct pt_did *did)
{
	if (lab->cur != cur)
		did->flags |= PT_DID_MOVE;
	lab->cur = cur;
	did->flags |= PT_DID_SHOW;
}

int pt_interp_run(struct pt_lab *lab, const struct pt_cmd *cmd,
		  struct pt_did *did, struct pt_err *err)
{
	size_t before = lab->cur;
	int ret;

	memset(did, 0, sizeof(*did));
	did->id = cmd->id;
	did->cmd = *cmd;
	switch (cmd->id) {
	case PT_C_DUMP:
		did->flags = PT_DID_SHOW;
		did->form = PT_FORM_TEXT;
		return 0;
	case PT_C_JSON:
		did->flags = PT_DID_SHOW;
		did->form = PT_FORM_JSON;
		return 0;
	case PT_C_STEP:
		if (!lab->nr_steps)
			return pt_err_set(err, PT_USAGE, "there is no step yet");
		if (cmd->last)
			pt_interp_show(lab, lab->nr_steps - 1, did);
		else if (cmd->n > 0 && (size_t)cmd->n <= lab->nr_steps)
			pt_interp_show(lab, cmd->n - 1, did);
		else if (cmd->n > 0)
			return pt_err_set(err, PT_USAGE, "there is no step %ld", cmd->n);
		else
			pt_interp_show(lab, lab->cur + 1 < lab->nr_steps ? lab->cur + 1 : lab->cur,
				       did);
		return 0;
	case PT_C_SCREEN:
		did->flags = PT_DID_SHOW;
		did->form = PT_FORM_SCREEN;
		return 0;
	case PT_C_BACK:
		pt_interp_show(lab, lab->cur > 0 ? lab->cur - 1 : 0, did);
		return 0;
	case PT_C_CHILD:
		/* child next: 0 */
		ret = pt_lab_pick_child(lab, (pid_t)cmd->n, err);
		if (ret < 0)
			return ret;
		did->flags = PT_DID_STEP | PT_DID_SHOW | (lab->cur != before ? PT_DID_MOVE : 0);
		return 0;
	case PT_C_MAPS:
		return pt_interp_maps(lab, cmd, did, err);
	case PT_C_NEXT_POPULATED:
	case PT_C_PREV_POPULATED:
		return pt_interp_populated(lab, cmd, did, err);
	case PT_C_HELP:
		did->flags = PT_DID_HELP;
		return 0;
	case PT_C_QUIT:
		did->flags = PT_DID_QUIT;
		return 0;
	default:
		/* another subject: its mappings are another list */
		if (cmd->id == PT_C_KIND)
			pt_interp_maps_close(lab);
		/* the events: the lab runs them and appends their step */
		ret = pt_lab_event(lab, cmd, err);
		if (ret < 0) {
			did->flags = lab->cur != before ? PT_DID_MOVE : 0;
			return ret;
		}
		did->flags = PT_DID_STEP | PT_DID_SHOW | (lab->cur != before ? PT_DID_MOVE : 0);
		return 0;
	}
}

int pt_interp_line(struct pt_lab *lab, const char *line, struct pt_did *did,
		   struct pt_err *err)
{
	struct pt_cmd cmd;
	int ret;

	memset(did, 0, sizeof(*did));
	ret = pt_cmd_parse(line, &cmd, err);
	if (ret < 0)
		return ret;
	return pt_interp_run(lab, &cmd, did, err);
}
