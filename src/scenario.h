/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab's built-in scenarios (ptinspect lab --scenario NAME): a kind to
 * start with and a script to step through.  A new scenario is one row of
 * pt_scenarios[] in scenario.c; help and the man page list them.
 */
#ifndef PT_SCENARIO_H
#define PT_SCENARIO_H

#include <stddef.h>

#include "status.h"

struct pt_scenario {
	const char *name, *kind, *script, *help;
};

extern const struct pt_scenario pt_scenarios[];
extern const size_t pt_nr_scenarios;

/* The scenario @name; -PT_USAGE naming the known ones when there is none. */
int pt_scenario_find(const char *name, const struct pt_scenario **sc,
		     struct pt_err *err);

#endif
