/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab screen's layout, without curses: what the TUI shows for a lab
 * and a terminal size, as a grid of cells (a character and the role it
 * plays).  ui.c paints the grid with curses, the `screen` lab command
 * writes it as text, so tests compare whole screens without a terminal.
 */
#ifndef PT_SCREEN_H
#define PT_SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cursor.h"
#include "lang.h"
#include "lab.h"
#include "status.h"

/* What a cell means; the painter picks colours and attributes by role. */
enum pt_ui_color {
	PT_COL_NONE,
	PT_COL_HEADER,
	PT_COL_SET,
	PT_COL_CLEAR,
	PT_COL_CHANGED,		/* the last step changed it: highlighted */
	PT_COL_ERROR,
	PT_COL_TITLE,
	PT_COL_OK,
};

/* Box drawing: painted as curses' ACS line characters. */
#define PT_BOX_H 0x2500u	/* ─ */
#define PT_BOX_V 0x2502u	/* │ */
#define PT_BOX_UL 0x250cu	/* ┌ */
#define PT_BOX_UR 0x2510u	/* ┐ */
#define PT_BOX_LL 0x2514u	/* └ */
#define PT_BOX_LR 0x2518u	/* ┘ */

struct pt_cell {
	uint32_t ch;		/* a Unicode code point, one column wide */
	enum pt_ui_color role;
};

struct pt_screen {
	/* what to draw: set by the caller */
	const struct pt_lab *lab;
	const struct pt_cursor *at;	/* the view's: its step and list */
	const char *script;	/* the rest of the queued script ("next (n)") */
	const char *status;	/* the bottom line's message, or "" */
	const char *dot;	/* the header's separator: "·" where UTF-8 works */
	bool watch;		/* ptinspect --pid rather than ptinspect lab */
	bool help;		/* the key and command overlay */
	bool mono;		/* no colours: changed bit values carry a '*' */
	bool stable;		/* placeholders for what differs between runs */
	/* the help overlay's keys, from the view that has them */
	const char *const *key_names, *const *key_helps;
	int nr_keys;
	/* the grid: pt_screen_draw() fills it */
	int rows, cols;
	struct pt_cell *cell;	/* rows * cols, row by row */
};

/* Lays step sc->at->cur of the lab out on a @rows x @cols grid. */
int pt_screen_draw(struct pt_screen *sc, int rows, int cols, struct pt_err *err);
void pt_screen_free(struct pt_screen *sc);

/*
 * The grid as UTF-8 text, trailing blanks cut.  A line with highlighted
 * cells (PT_COL_CHANGED: what the terminal shows in reverse video) is
 * followed by a marker line with '^' under each of them.
 */
void pt_screen_print(FILE *f, const struct pt_screen *sc);

/* The `screen` command: the step @at shows, as the TUI would show it. */
int pt_screen_write(FILE *f, const struct pt_lab *lab, const struct pt_cursor *at,
		    const struct pt_cmd *cmd, struct pt_err *err);

/* Appends the UTF-8 bytes of @ch to @buf at @*n (room for 4 needed). */
void pt_utf8_put(char *buf, size_t *n, uint32_t ch);

#endif
