// SPDX-License-Identifier: GPL-2.0
/* ptinspect: parse the command line, hand over, turn a status into an exit. */
#include <stdio.h>

#include "commands.h"
#include "options.h"

static int (*const pt_cmd_fns[])(const struct pt_options *, struct pt_err *) = {
	[PT_CMD_DUMP] = pt_cmd_dump,
	[PT_CMD_DECODE] = pt_cmd_decode,
	[PT_CMD_BITS] = pt_cmd_bits,
	[PT_CMD_LAB] = pt_cmd_lab,
	[PT_CMD_SHELL] = pt_cmd_shell,
	[PT_CMD_WATCH] = pt_cmd_watch,
	[PT_CMD_HELP] = pt_cmd_help_tables,
	[PT_CMD_SUBJECT] = pt_cmd_subject,
};

int main(int argc, char **argv)
{
	struct pt_err err = { PT_OK, "" };
	struct pt_options o;
	int ret;

	ret = pt_options_parse(argc, argv, &o, &err);
	if (!ret)
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
