// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "lineview.h"
#include "options.h"
#include "scenario.h"
#include "ui.h"

/*
 * --completion: each line of complete words after which completion offers
 * something, a tab, and what it offers, as pt_cmd_words() (the readline
 * prompt's completer) says from the command table, so the shells offer
 * the same (scripts/gen-completion.sh).  @line holds the words so far.
 */
static void pt_help_completion(char *line, size_t len, int depth)
{
	const char *const *w = pt_cmd_words(line);
	const char *v[128];
	size_t n = 0, at = strlen(line), i;

	/* the next call overwrites pt_cmd_words()'s array, not the strings */
	for (; w[n] && n < sizeof(v) / sizeof(v[0]); n++)
		v[n] = w[n];
	if (!n)
		return;
	if (at) {
		printf("%.*s\t", (int)(at - 1), line);
		for (i = 0; i < n; i++)
			printf("%s%s", i ? " " : "", v[i]);
		putchar('\n');
	}
	if (!depth)
		return;
	for (i = 0; i < n; i++) {
		snprintf(line + at, len - at, "%s ", v[i]);
		pt_help_completion(line, len, depth - 1);
	}
	line[at] = '\0';
}

/*
 * ptinspect help [synopsis] [--man]: the command language, the kinds and
 * the keys, or the subcommands' synopsis; --man as mdoc for gen-man.sh.
 */
int pt_cmd_help_tables(const struct pt_options *o, struct pt_err *err)
{
	char line[256] = "";
	int i;

	(void)err;
	if (o->completion) {
		/* the command, then at most three words after it */
		pt_help_completion(line, sizeof(line), 4);
		return 0;
	}
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

