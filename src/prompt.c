// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "interp.h"
#include "lang.h"
#include "lineview.h"
#include "prompt.h"

static char pt_history_path[4096];
static bool pt_history_loaded;

static void pt_history_load(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[4000];

	if (pt_history_loaded)
		return;
	pt_history_loaded = true;
	if (state && *state)
		snprintf(dir, sizeof(dir), "%s/ptinspect", state);
	else if (home && *home)
		snprintf(dir, sizeof(dir), "%s/.local/state/ptinspect", home);
	else
		return;
	snprintf(pt_history_path, sizeof(pt_history_path), "%s/history", dir);
	read_history(pt_history_path);
}

void pt_prompt_history_save(void)
{
	char dir[4096], *p;

	if (!pt_history_path[0])
		return;
	snprintf(dir, sizeof(dir), "%s", pt_history_path);
	/* mkdir -p of the directory */
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	write_history(pt_history_path);
	history_truncate_file(pt_history_path, 1000);
}

static char *pt_complete_word(const char *text, int state)
{
	static const char *const *words;
	static char before[256];
	static size_t len;
	static int i;

	if (!state) {
		snprintf(before, sizeof(before), "%.*s", rl_point, rl_line_buffer);
		words = pt_cmd_words(before);
		len = strlen(text);
		i = 0;
	}
	while (words && words[i]) {
		const char *w = words[i++];

		if (!strncmp(w, text, len))
			return strdup(w);
	}
	return NULL;
}

static char **pt_complete(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, pt_complete_word);
}

static void pt_prompt_setup(void)
{
	rl_readline_name = "ptinspect";
	/* readline would export LINES and COLUMNS, which pin curses' size */
	rl_change_environment = 0;
	rl_attempted_completion_function = pt_complete;
	rl_completer_word_break_characters = " ";
	pt_history_load();
}

static void pt_remember(const char *line)
{
	HIST_ENTRY *last = history_get(history_base + history_length - 1);

	if (*line && (!last || strcmp(last->line, line)))
		add_history(line);
}

int pt_prompt_shell(struct pt_lab *lab, bool json, struct pt_err *err)
{
	struct pt_cursor at = { .cur = lab->nr_steps ? lab->nr_steps - 1 : 0 };
	struct pt_did did = { 0 };
	struct pt_err e;
	char *line;

	pt_prompt_setup();
	while (!(did.flags & PT_DID_QUIT) && (line = readline("ptinspect> "))) {
		pt_remember(line);
		/* a bad line is said and the shell goes on */
		if (pt_interp_line(lab, &at, line, &did, &e) < 0 ||
		    pt_lineview_react(stdout, lab, &at, &did, json, &e) < 0)
			fprintf(stderr, "ptinspect: %s\n", e.msg);
		free(line);
		fflush(stdout);
	}
	pt_prompt_history_save();
	pt_cursor_close(&at);
	(void)err;
	return 0;
}

static const struct pt_prompt_ops *pt_ops;
static bool pt_cancelled;

static int pt_rl_getc(FILE *f)
{
	int c;

	(void)f;
	c = pt_ops->getc(pt_ops->ctx);
	if (c == PT_PROMPT_CANCEL || c == EOF) {
		pt_cancelled = true;
		return '\n';
	}
	return c;
}

static void pt_rl_redisplay(void)
{
	pt_ops->redisplay(pt_ops->ctx, rl_display_prompt, rl_line_buffer, rl_point);
}

static void pt_rl_noprep(int meta)
{
	(void)meta;
}

static void pt_rl_nodeprep(void)
{
}

char *pt_prompt_read(const struct pt_prompt_ops *ops, const char *prompt)
{
	rl_getc_func_t *getc_saved = rl_getc_function;
	rl_voidfunc_t *redisplay_saved = rl_redisplay_function;
	static FILE *devnull;
	char *line;

	pt_prompt_setup();
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	pt_ops = ops;
	pt_cancelled = false;
	/* curses owns the terminal: readline only edits */
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_prep_term_function = pt_rl_noprep;
	rl_deprep_term_function = pt_rl_nodeprep;
	rl_outstream = devnull;
	rl_getc_function = pt_rl_getc;
	rl_redisplay_function = pt_rl_redisplay;
	line = readline(prompt);
	rl_getc_function = getc_saved;
	rl_redisplay_function = redisplay_saved;
	if (pt_cancelled) {
		free(line);
		return NULL;
	}
	if (line)
		pt_remember(line);
	return line;
}
