/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The line view: what --script, --batch, --random and `ptinspect shell`
 * print as they run the command language, in reaction to what the
 * interpreter says happened (interp.h).  The TUI is the other view.
 */
#ifndef PT_LINEVIEW_H
#define PT_LINEVIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "interp.h"

/* Step @i as text, or as one line of JSON (nothing: no such step). */
void pt_lineview_step(FILE *f, const struct pt_lab *lab, size_t i, bool json);
/*
 * Prints what @did asks to show (nothing for a quit) of the step and the
 * list cursor @at shows; 0 or a status.
 */
int pt_lineview_react(FILE *f, const struct pt_lab *lab, const struct pt_cursor *at,
		      const struct pt_did *did, bool json, struct pt_err *err);
/* The command language, the kinds and the scenarios. */
void pt_lineview_help(FILE *f);

#endif
