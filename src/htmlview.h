/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptinspect replay FILE --html OUT: a lab's steps as one self-contained
 * HTML page (inline CSS and JS, nothing fetched) that steps through them
 * with the TUI's grid (screen.h), the changed bits highlighted, and each
 * step's text dump (report_lab.h).
 */
#ifndef PT_HTMLVIEW_H
#define PT_HTMLVIEW_H

#include <stdio.h>

#include "lab.h"
#include "status.h"

/*
 * Writes the page for every step of @lab to @f; @title names the page
 * (escaped here).  The page steps with its own cursor: the lab is only read.
 */
int pt_html_write(FILE *f, const struct pt_lab *lab, const char *title,
		  struct pt_err *err);

/*
 * The pieces, for a page of another shape (learn --html's handout): the
 * escaper every untrusted string goes through, the head (the doctype, the
 * CSS, an open <head>), and step @i's grid and text dump.
 */
void pt_html_esc(FILE *f, const char *s, size_t len);
void pt_html_begin(FILE *f);
int pt_html_step(FILE *f, const struct pt_lab *lab, size_t i, struct pt_err *err);

#endif
