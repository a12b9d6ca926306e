/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands: each connects a source, the model and a view. */
#ifndef PT_COMMANDS_H
#define PT_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "options.h"
#include "status.h"

int pt_cmd_dump(const struct pt_options *o, struct pt_err *err);
int pt_cmd_decode(const struct pt_options *o, struct pt_err *err);
int pt_cmd_bits(const struct pt_options *o, struct pt_err *err);
int pt_cmd_lab(const struct pt_options *o, struct pt_err *err);
int pt_cmd_shell(const struct pt_options *o, struct pt_err *err);
int pt_cmd_watch(const struct pt_options *o, struct pt_err *err);
int pt_cmd_help_tables(const struct pt_options *o, struct pt_err *err);
int pt_cmd_subject(const struct pt_options *o, struct pt_err *err);

struct pt_lab;
/*
 * Runs one line of the command language on @lab, printing to @out what
 * it shows; 1 for quit, 0, or a negative status (a bad line: the lab goes
 * on).  Shared by --script, --batch, the shell and the TUI's prompt.
 */
int pt_lab_exec(struct pt_lab *lab, const char *line, FILE *out, bool json,
		struct pt_err *err);
void pt_lab_help(FILE *f);
pid_t pt_first_child(pid_t pid);

#endif
