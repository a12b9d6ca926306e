/* SPDX-License-Identifier: GPL-2.0 */
/* The lab's steps as text and as JSON lines (one object per step). */
#ifndef PT_REPORT_LAB_H
#define PT_REPORT_LAB_H

#include <stdio.h>

#include "lab.h"

void pt_report_lab_step(FILE *f, const struct pt_lab *lab,
			const struct pt_lab_step *s);
void pt_report_lab_step_json(FILE *f, const struct pt_lab *lab,
			     const struct pt_lab_step *s);
/*
 * "parent pmd write 1->0" etc., for the TUI and the text dump; a field's
 * values by their names in @ly (NULL: numbers).
 */
void pt_report_lab_change(const struct pt_layout *ly,
			  const struct pt_lab_change *c, char *buf, size_t len);
void pt_report_explain_text(FILE *f, const struct pt_lab *lab,
			    const struct pt_lab_step *s);
void pt_report_unexpected(const struct pt_checked *u, char *buf, size_t len);
/* "parent", "child" */
const char *pt_who_name(enum pt_who w);

#endif
