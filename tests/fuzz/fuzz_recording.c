// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a recording, as ptinspect replay reads it; when it is
 * read, every step through the text and JSON views.  What a replay prints
 * must not drive a terminal: a control byte other than a newline or a tab
 * in that output is a crash.  Run by tests/fuzz/run.sh (ASan, UBSan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "lineview.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void pt_fuzz_no_control(const char *out, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			fprintf(stderr, "control byte 0x%02x at %zu of the replay's output\n", c, i);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_replay rp;
	struct pt_err err;
	size_t len = 0, i;
	char *out = NULL;
	FILE *f;

	if (pt_replay_parse((const char *)data, size, &rp, &err))
		return 0;
	f = open_memstream(&out, &len);
	for (i = 0; f && i < rp.lab->nr_steps; i++) {
		pt_lineview_step(f, rp.lab, i, false);
		pt_lineview_step(f, rp.lab, i, true);
	}
	if (f) {
		fclose(f);
		pt_fuzz_no_control(out, len);
	}
	free(out);
	pt_replay_free(&rp);
	return 0;
}
