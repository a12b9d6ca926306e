/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interpreter: the one place a line of the command language (lang.h)
 * acts on the lab.  The TUI's keys and ':' prompt, `ptinspect shell`,
 * --script and --batch all come here, and each view reacts to what
 * happened (tig's view_driver()): the interpreter prints nothing and
 * includes no view, so it builds and is tested without curses or
 * readline.
 *
 * A new command is a row in PT_CMD_TABLE (lang.h) and, unless it is an
 * event the lab runs, a case in pt_interp_run().
 */
#ifndef PT_INTERP_H
#define PT_INTERP_H

#include "cursor.h"
#include "lab.h"
#include "lang.h"
#include "status.h"

#define PT_DID_STEP 0x01u	/* the lab took a step (an event ran) */
#define PT_DID_MOVE 0x02u	/* the cursor shows another step */
#define PT_DID_SHOW 0x04u	/* show the shown step, in did->form */
#define PT_DID_HELP 0x08u	/* list the commands */
#define PT_DID_QUIT 0x10u	/* leave */
#define PT_DID_MAPS 0x20u	/* the mappings list opened, moved or closed */

enum pt_form {
	PT_FORM_VIEW,		/* the view's own: a screen, or --json or not */
	PT_FORM_TEXT,		/* the text dump (the dump command) */
	PT_FORM_JSON,		/* the JSON step (the json command) */
	PT_FORM_SCREEN,		/* the TUI's screen as text (did->cmd: size) */
};

struct pt_did {
	unsigned int flags;	/* PT_DID_* */
	enum pt_form form;	/* with PT_DID_SHOW */
	enum pt_cmd_id id;	/* the command that ran */
	struct pt_cmd cmd;	/* and its arguments */
};

/*
 * Runs @cmd on @lab for the view whose cursor is @c, and says in @did
 * what happened.  `step`, `back` and `maps` move @c alone; a step the
 * command appends is shown by @c (another view's cursor stays where it
 * is).  0, or a negative status for a command that cannot run (no such
 * step): the lab goes on, @did is then empty.  An event the subject
 * refuses is a step with its error, not a failure; a failure of the lab
 * itself is.
 */
int pt_interp_run(struct pt_lab *lab, struct pt_cursor *c, const struct pt_cmd *cmd,
		  struct pt_did *did, struct pt_err *err);
/* pt_cmd_parse() and pt_interp_run(): a bad line is -PT_USAGE. */
int pt_interp_line(struct pt_lab *lab, struct pt_cursor *c, const char *line,
		   struct pt_did *did, struct pt_err *err);
/* Frees @c's mappings list (the `maps close` command). */
void pt_cursor_close(struct pt_cursor *c);

#endif
