// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <unistd.h>

#include "options.h"
#include "subject.h"

/*
 * ptinspect subject: the lab's subject process on stdin and stdout, so
 * that tests and scripts drive the very code the lab forks.
 */
int pt_cmd_subject(const struct pt_options *o, struct pt_err *err)
{
	(void)o;
	(void)err;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	pt_subject_run(0, 1);
}
