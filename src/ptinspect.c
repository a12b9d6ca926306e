// SPDX-License-Identifier: GPL-2.0
/* ptinspect: parse the command line, hand over, turn a status into an exit. */
#include <stdio.h>

#include "options.h"

static int (*const pt_cmd_fns[])(const struct pt_options *, struct pt_err *) = {
#define PT_SUBCMD_FN(id, name, fn, opts, note) [PT_CMD_##id] = fn,
	PT_SUBCMD_TABLE(PT_SUBCMD_FN)
#undef PT_SUBCMD_FN
};

int main(int argc, char **argv)
{
	struct pt_err err = { PT_OK, "" };
	struct pt_options o;
	int ret;

	ret = pt_options_parse(argc, argv, &o, &err);
	if (!ret && o.ask)
		ret = pt_options_answer(&o, stdout);
	else if (!ret)
		ret = pt_cmd_fns[o.cmd](&o, &err);
	if (ret < 0) {
		fprintf(stderr, "ptinspect: %s\n",
			err.msg[0] ? err.msg : pt_status_msg(-ret));
		return pt_status_exit_code(-ret);
	}
	if (fflush(stdout) || ferror(stdout)) {
		perror("ptinspect: stdout");
		return pt_status_exit_code(PT_INTERNAL);
	}
	return 0;
}
