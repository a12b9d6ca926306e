/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module source: raw entries from ptdump_helper's debugfs files
 * (man/ptdump_helper.4), with the /proc facts beside them.  Its answers
 * are read by kmodtext.h's parsers.
 */
#ifndef PT_KMOD_H
#define PT_KMOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <errno.h>

#include "kmodtext.h"
#include "source.h"

#define PT_KMOD_DIR "/sys/kernel/debug/ptdump_helper"
/* the lab's device, a module of its own (kmod/ptdump_pfnmap.c) */
#define PT_PFNMAP_DIR "/sys/kernel/debug/ptdump_pfnmap"

int pt_kmod_open(struct pt_source *s, struct pt_err *err);

/*
 * How a query reaches the module: send() writes it (0 or -errno, as
 * write(2) on the walk file fails), recv() reads the whole answer (its
 * length or -errno).  pt_kmod_open() uses the walk file; bench/kmodparse
 * answers from memory in the module's format, so the parsing and merging
 * can be profiled on a host without the module.
 */
struct pt_kmod_ask {
	int (*send)(void *ctx, const char *q, size_t len);
	ssize_t (*recv)(void *ctx, char *buf, size_t cap);
};

/* The module source over @ask, with @layout as the layout file's text. */
int pt_kmod_open_ask(struct pt_source *s, const char *layout, size_t len,
		     const struct pt_kmod_ask *ask, void *ctx,
		     struct pt_err *err);

#endif
