/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module source: raw entries from ptdump_helper's debugfs files
 * (man/ptdump_helper.4), with the /proc facts beside them.  The parsers
 * take text, so tests and the fuzzer feed them anything.
 */
#ifndef PT_KMOD_H
#define PT_KMOD_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "source.h"

#define PT_KMOD_DIR "/sys/kernel/debug/ptdump_helper"
/* the lab's device, a module of its own (kmod/ptdump_pfnmap.c) */
#define PT_PFNMAP_DIR "/sys/kernel/debug/ptdump_pfnmap"
#define PT_KMOD_MAX_ENTRIES 65536

struct pt_kmod_entry {
	enum pt_level level;
	uint64_t va;
	uint64_t raw;
	unsigned int vma;	/* index of the vma line it follows */
};

struct pt_kmod_vma {
	uint64_t start, end, flags;
};

/* A parsed walk answer; owns its arrays, free with pt_kmod_answer_free(). */
struct pt_kmod_answer {
	int pid;
	uint64_t start, end;
	struct pt_kmod_vma *vmas;
	size_t nr_vmas;
	struct pt_kmod_entry *entries;
	size_t nr_entries;
	/* the module stopped early: ask again from @more (protocol 2) */
	bool has_more;
	uint64_t more;
};

/* 0, or -EINVAL / -EPROTO (other version) / -E2BIG / -ENOMEM. */
int pt_kmod_parse_answer(const char *text, size_t len,
			 struct pt_kmod_answer *a);
void pt_kmod_answer_free(struct pt_kmod_answer *a);
/* Applies a layout file to @ly: the module's masks win. */
int pt_kmod_parse_layout(const char *text, size_t len, struct pt_layout *ly);

int pt_kmod_open(struct pt_source *s, struct pt_err *err);

#endif
