/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dumps: human text and JSON (version 1, documented in man/ptinspect.8),
 * printed only from a pt_walk and the decoder's rows.
 */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include <stdio.h>

#include "json.h"
#include "layout.h"
#include "model.h"

#define PT_JSON_VERSION 1

/* One dump object; @key names it inside an enclosing object, or NULL. */
void pt_report_json(struct pt_json *j, const char *key,
		    const struct pt_layout *ly, const struct pt_walk *w);
/* The decoded bits of one raw entry as a JSON object (also the lab's). */
void pt_report_json_bits(struct pt_json *j, const struct pt_layout *ly,
			 enum pt_level l, uint64_t raw);

void pt_report_text(FILE *f, const struct pt_layout *ly,
		    const struct pt_walk *w);
/* Level @l of @w alone (ptinspect decode). */
void pt_report_entry_text(FILE *f, const struct pt_layout *ly,
			  const struct pt_walk *w, enum pt_level l);
/* Parent and child side by side, in 80 columns. */
void pt_report_text_pair(FILE *f, const struct pt_layout *ly,
			 const struct pt_walk *parent,
			 const struct pt_walk *child);
/* The set bits of @raw by name (abbreviation if @compact), space separated. */
void pt_report_bits_text(const struct pt_layout *ly, enum pt_level l,
			 uint64_t raw, bool compact, char *buf, size_t len);
/* "4K", "2M", "1G" */
const char *pt_report_size(uint64_t size, char *buf, size_t len);
/* The one-line header naming kernel, architecture, source, pid, address. */
void pt_report_header(FILE *f, const struct pt_layout *ly,
		      const struct pt_walk *w);

#endif
