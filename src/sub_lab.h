/* SPDX-License-Identifier: GPL-2.0 */
/* What the lab's subcommands (sub_lab.c, sub_watch.c) share. */
#ifndef PT_SUB_LAB_H
#define PT_SUB_LAB_H

#include "lab.h"
#include "options.h"

/*
 * The source and a lab of @kind_name for @o, checked against the user's
 * expectations, made into *@x (the caller frees them after the lab).
 */
int pt_lab_setup(const struct pt_options *o, const char *kind_name,
		 struct pt_source *src, struct pt_lab *lab, struct pt_expect **x,
		 struct pt_err *err);
/* What the source and the counters could not show, once, on stderr. */
void pt_lab_notes(const struct pt_source *src, const struct pt_lab *lab);

#endif
