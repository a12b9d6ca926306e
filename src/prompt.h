/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The readline side of the command line; only prompt.c includes readline.
 * The shell reads lines from the terminal; the TUI hands readline its
 * keys and draws its line itself (tig's way: rl_getc_function and
 * rl_redisplay_function, no signal or SIGWINCH handling by readline).
 * History is kept in $XDG_STATE_HOME/ptinspect/history; tab completes
 * commands, kinds and arguments from the command table.
 */
#ifndef PT_PROMPT_H
#define PT_PROMPT_H

#include <stdbool.h>

#include "status.h"

struct pt_lab;

struct pt_prompt_ops {
	int (*getc)(void *ctx);		/* next key, as a character */
	void (*redisplay)(void *ctx, const char *prompt, const char *line,
			  int point);
	void *ctx;
};

/* The interactive shell on the lab; 0 at quit or end of input. */
int pt_prompt_shell(struct pt_lab *lab, bool json, struct pt_err *err);
/* One line through @ops; NULL when cancelled.  The caller frees it. */
char *pt_prompt_read(const struct pt_prompt_ops *ops, const char *prompt);
/* A key that cancels the line being read (returned by ops->getc). */
#define PT_PROMPT_CANCEL (-2)
void pt_prompt_history_save(void);

#endif
