/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ncurses TUI; only ui.c includes curses.  Both entry points restore
 * the terminal on every way out: return, error, SIGINT, SIGTERM.
 */
#ifndef PT_UI_H
#define PT_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "follow.h"
#include "lab.h"
#include "status.h"

/* The lab screen; @script is queued for the 'n' key. */
int pt_ui_lab(struct pt_lab *lab, const char *script, struct pt_err *err);
/* The same screen on processes the user has, its steps from @f. */
int pt_ui_watch(struct pt_lab *lab, struct pt_follow *f, struct pt_err *err);
/* The key table, as text or as mdoc (for the man page). */
void pt_ui_keys_print(FILE *f, bool man);

#endif
