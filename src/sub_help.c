// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "lab.h"
#include "lineview.h"
#include "options.h"
#include "scenario.h"
#include "ui.h"

/*
 * ptinspect help [synopsis] [--man]: the command language, the kinds and
 * the keys, or the subcommands' synopsis; --man as mdoc for gen-man.sh.
 */
int pt_cmd_help_tables(const struct pt_options *o, struct pt_err *err)
{
	int i;

	(void)err;
	if (o->topic) {
		pt_subcmd_usage(stdout, o->man);
		return 0;
	}
	if (!o->man) {
		printf("lab commands (--script, --batch, the shell, ':' in the TUI):\n");
		pt_lineview_help(stdout);
		printf("keys of the TUI:\n");
		pt_ui_keys_print(stdout, false);
		return 0;
	}
	printf(".Ss Commands\n.Bl -tag -width Ds\n");
	for (i = 0; i < PT_C_NR; i++) {
		printf(".It Cm %s", pt_cmd_name(i));
		if (pt_cmd_args(i)[0])
			printf(" Ar %s", pt_cmd_args(i));
		printf("\n%s.\n", pt_cmd_help(i));
	}
	printf(".El\n.Ss Kinds\n.Bl -tag -width hugetlb-shared -compact\n");
	for (i = 0; i < PT_LAB_NR_KINDS; i++)
		printf(".It Cm %s\n%s.\n", pt_lab_kind_name(i), pt_lab_kind_desc(i));
	printf(".El\n.Ss Scenarios\n.Bl -tag -width thread\n");
	for (i = 0; i < (int)pt_nr_scenarios; i++)
		printf(".It Cm %s\n%s:\n.Dl %s\n", pt_scenarios[i].name,
		       pt_scenarios[i].help, pt_scenarios[i].script);
	printf(".El\n.Ss Keys\n");
	pt_ui_keys_print(stdout, true);
	return 0;
}

