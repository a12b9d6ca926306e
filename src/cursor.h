/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one view shows of a lab: the step it shows and its mappings list.
 * The lab holds subjects and steps, nothing of a view (tig's struct view
 * holds its own position, not the data it shows): the TUI, the shell, a
 * script's lines and the HTML page each keep their own cursor, so moving
 * in one moves no other.  The interpreter (interp.h) moves the cursor it
 * is handed and owns its list; pt_cursor_close() frees the list.
 */
#ifndef PT_CURSOR_H
#define PT_CURSOR_H

#include <stddef.h>

struct pt_vmalist;

struct pt_cursor {
	size_t cur;		/* index of the shown step */
	/* the `maps` command's list of the parent's mappings (NULL: closed)
	 * and the row selected in it */
	struct pt_vmalist *maps;
	size_t maps_sel;
};

#endif
