/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands: each connects a source, the model and a view. */
#ifndef PT_COMMANDS_H
#define PT_COMMANDS_H

#include "options.h"
#include "status.h"

int pt_cmd_dump(const struct pt_options *o, struct pt_err *err);
int pt_cmd_decode(const struct pt_options *o, struct pt_err *err);
int pt_cmd_bits(const struct pt_options *o, struct pt_err *err);

#endif
