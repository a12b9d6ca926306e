// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "vmalist.h"

void pt_cursor_close(struct pt_cursor *c)
{
	if (!c->maps)
		return;
	pt_vmalist_free(c->maps);
	free(c->maps);
	c->maps = NULL;
	c->maps_sel = 0;
}

/* A step appended: the cursor that asked for it shows it. */
static void pt_interp_follow(const struct pt_lab *lab, struct pt_cursor *c,
			     size_t nr_before, struct pt_did *did)
{
	if (lab->nr_steps > nr_before && c->cur != lab->nr_steps - 1) {
		c->cur = lab->nr_steps - 1;
		did->flags |= PT_DID_MOVE;
	}
}

/* A recording's lab: its steps were read elsewhere, nothing is read now. */
static int pt_interp_dead(const struct pt_cmd *cmd, struct pt_err *err)
{
	return pt_err_set(err, PT_USAGE, "%s: a replay shows recorded steps, it reads no process",
			  pt_cmd_name(cmd->id));
}

/*
 * maps: (re)reads the list of the process's mappings, selecting the one
 * of the watched address when it opens; maps N selects; maps close.
 */
static int pt_interp_maps(struct pt_lab *lab, struct pt_cursor *c, const struct pt_cmd *cmd,
			  struct pt_did *did, struct pt_err *err)
{
	struct pt_vmalist *l;
	bool opening = !c->maps;
	long sel;
	int ret;

	did->flags = PT_DID_MAPS;
	if (cmd->close) {
		pt_cursor_close(c);
		return 0;
	}
	if (!lab->pid[0])
		return pt_err_set(err, PT_NO_PID, "no process to list the mappings of");
	if (!pt_lab_live(lab))
		return pt_interp_dead(cmd, err);
	/* a selection moves within the list read; maps alone reads it again,
	 * in the order it had, or the one `maps sort KEY` names */
	if (opening || !cmd->n) {
		int sort = cmd->sort >= 0 ? cmd->sort :
			   c->maps ? (int)c->maps->sort : PT_VL_SORT_START;

		l = malloc(sizeof(*l));
		if (!l)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		ret = pt_vmalist_read(lab->src, lab->pid[0], lab->pid[1], l, err);
		if (ret < 0) {
			free(l);
			return ret;
		}
		if (c->maps) {
			pt_vmalist_free(c->maps);
			free(c->maps);
		}
		pt_vmalist_sort(l, sort < 0 ? PT_VL_SORT_START : (enum pt_vmalist_sort)sort);
		c->maps = l;
	}
	l = c->maps;
	if (cmd->n > 0) {
		if ((size_t)cmd->n > l->nr)
			return pt_err_set(err, PT_USAGE, "there are %zu mappings, not %ld", l->nr,
					  cmd->n);
		c->maps_sel = (size_t)cmd->n - 1;
	} else if (opening || cmd->sort >= 0) {
		/* the watched mapping, wherever the order puts it */
		sel = pt_vmalist_find(l, lab->addr);
		c->maps_sel = sel < 0 ? 0 : (size_t)sel;
	}
	if (c->maps_sel >= l->nr)
		c->maps_sel = l->nr ? l->nr - 1 : 0;
	return 0;
}

/* next-populated, prev-populated: an `addr` step to the page found. */
static int pt_interp_populated(struct pt_lab *lab, struct pt_cursor *c,
			       const struct pt_cmd *cmd, struct pt_did *did, struct pt_err *err)
{
	int dir = cmd->id == PT_C_NEXT_POPULATED ? 1 : -1;
	size_t before = lab->nr_steps;
	struct pt_cmd addr = *cmd;
	uint64_t found;
	int ret;

	if (!lab->pid[0])
		return pt_err_set(err, PT_NO_PID, "no process to look in");
	if (!pt_lab_live(lab))
		return pt_interp_dead(cmd, err);
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
	did->flags = PT_DID_STEP | PT_DID_SHOW;
	pt_interp_follow(lab, c, before, did);
	return 0;
}

static void pt_interp_show(struct pt_cursor *c, size_t cur, struct pt_did *did)
{
	if (c->cur != cur)
		did->flags |= PT_DID_MOVE;
	c->cur = cur;
	did->flags |= PT_DID_SHOW;
}

int pt_interp_run(struct pt_lab *lab, struct pt_cursor *c, const struct pt_cmd *cmd,
		  struct pt_did *did, struct pt_err *err)
{
	size_t before = lab->nr_steps;
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
			pt_interp_show(c, lab->nr_steps - 1, did);
		else if (cmd->n > 0 && (size_t)cmd->n <= lab->nr_steps)
			pt_interp_show(c, cmd->n - 1, did);
		else if (cmd->n > 0)
			return pt_err_set(err, PT_USAGE, "there is no step %ld", cmd->n);
		else
			pt_interp_show(c, c->cur + 1 < lab->nr_steps ? c->cur + 1 : c->cur, did);
		return 0;
	case PT_C_SCREEN:
		did->flags = PT_DID_SHOW;
		did->form = PT_FORM_SCREEN;
		return 0;
	case PT_C_BACK:
		pt_interp_show(c, c->cur > 0 ? c->cur - 1 : 0, did);
		return 0;
	case PT_C_CHILD:
		/* child next: 0 */
		ret = pt_lab_pick_child(lab, (pid_t)cmd->n, err);
		if (ret < 0)
			return ret;
		did->flags = PT_DID_STEP | PT_DID_SHOW;
		pt_interp_follow(lab, c, before, did);
		return 0;
	case PT_C_MAPS:
		return pt_interp_maps(lab, c, cmd, did, err);
	case PT_C_NEXT_POPULATED:
	case PT_C_PREV_POPULATED:
		return pt_interp_populated(lab, c, cmd, did, err);
	case PT_C_HELP:
		did->flags = PT_DID_HELP;
		return 0;
	case PT_C_QUIT:
		did->flags = PT_DID_QUIT;
		return 0;
	default:
		/* another subject: its mappings are another list */
		if (cmd->id == PT_C_KIND)
			pt_cursor_close(c);
		/* the events: the lab runs them and appends their step */
		ret = pt_lab_event(lab, cmd, err);
		if (ret < 0) {
			pt_interp_follow(lab, c, before, did);
			return ret;
		}
		did->flags = PT_DID_STEP | PT_DID_SHOW;
		pt_interp_follow(lab, c, before, did);
		return 0;
	}
}

int pt_interp_line(struct pt_lab *lab, struct pt_cursor *c, const char *line,
		   struct pt_did *did, struct pt_err *err)
{
	struct pt_cmd cmd;
	int ret;

	memset(did, 0, sizeof(*did));
	ret = pt_cmd_parse(line, &cmd, err);
	if (ret < 0)
		return ret;
	return pt_interp_run(lab, c, &cmd, did, err);
}
