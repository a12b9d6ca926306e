/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded lab scripts for generative tests (ptinspect lab --random N
 * --seed S): every kind, every event, offsets inside and outside the
 * watched page and the region, so failures too.  The same seed and kinds
 * give the same script on every machine.
 */
#ifndef PT_LABGEN_H
#define PT_LABGEN_H

#include <stddef.h>
#include <stdint.h>

#include "subject.h"

/* One script for @seed: a kind out of the mask @kinds and 4 to 8 events. */
void pt_labgen_script(uint64_t seed, unsigned int kinds, enum pt_lab_kind *kind,
		      char *buf, size_t len);

#endif
