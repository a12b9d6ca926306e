// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "interp.h"

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
		if (cmd->num == PT_STEP_LAST)
			pt_interp_show(lab, lab->nr_steps - 1, did);
		else if (cmd->num > 0 && (size_t)cmd->num <= lab->nr_steps)
			pt_interp_show(lab, cmd->num - 1, did);
		else if (cmd->num > 0)
			return pt_err_set(err, PT_USAGE, "there is no step %ld", cmd->num);
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
		ret = pt_lab_pick_child(lab, (pid_t)cmd->num, err);
		if (ret < 0)
			return ret;
		did->flags = PT_DID_STEP | PT_DID_SHOW | (lab->cur != before ? PT_DID_MOVE : 0);
		return 0;
	case PT_C_HELP:
		did->flags = PT_DID_HELP;
		return 0;
	case PT_C_QUIT:
		did->flags = PT_DID_QUIT;
		return 0;
	default:
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
