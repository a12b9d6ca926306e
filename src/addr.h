/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address expressions: "0x7f0000001000", "7f0000001000", "heap",
 * "heap+0x1000", "stack", "libc.so.6+4096", a full path.  A name is the
 * lowest mapping of that name; a bare word of hex digits is an address.
 */
#ifndef PT_ADDR_H
#define PT_ADDR_H

#include <stdint.h>

#include "procfs.h"

/* The highest user address any x86_64 or arm64 kernel hands out (LA57). */
#define PT_USER_ADDR_MAX 0x00fffffffffff000ull
/* the longest expression either parser takes: two names, a sign, offsets */
#define PT_ADDR_EXPR_MAX 1024

int pt_addr_parse(const char *expr, const struct pt_maps *m, uint64_t *addr,
		  struct pt_err *err);
/*
 * "START-END" (END exclusive), or a mapping name alone for the whole
 * mapping.  The result is page-aligned outwards.
 */
int pt_range_parse(const char *expr, const struct pt_maps *m, uint64_t *start,
		   uint64_t *end, struct pt_err *err);

#endif
