/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sources: where entries come from.
 *
 * Call order: pt_source_open() once (it picks the backend and sets up the
 * decoder for the running kernel), then any number of walk() and
 * walk_range() calls for any pids, then pt_source_close().  The source
 * owns its file descriptors and private state; the caller owns every
 * pt_walk it passes to walk().  walk_range() calls @fn once per populated
 * entry in address order with a walk that lives only during the call; a
 * non-zero return from @fn stops the walk and is returned.
 *
 * A source never prints: failures come back as a negative pt_status with
 * the detail in *err.
 */
#ifndef PT_SOURCE_H
#define PT_SOURCE_H

#include <stdint.h>
#include <sys/types.h>

#include "layout.h"
#include "model.h"
#include "status.h"

enum pt_backend { PT_BACKEND_AUTO, PT_BACKEND_KMOD, PT_BACKEND_PAGEMAP };

typedef int (*pt_walk_fn)(const struct pt_walk *w, void *arg);

struct pt_source;

struct pt_source_ops {
	int (*walk)(struct pt_source *s, pid_t pid, uint64_t addr,
		    struct pt_walk *w, struct pt_err *err);
	int (*walk_range)(struct pt_source *s, pid_t pid, uint64_t start,
			  uint64_t end, pt_walk_fn fn, void *arg,
			  struct pt_err *err);
	void (*close)(struct pt_source *s);
};

struct pt_source {
	const char *name;		/* "kmod" or "pagemap" */
	const struct pt_source_ops *ops;
	struct pt_layout layout;	/* the running kernel's decoder */
	char release[PT_RELEASE_MAX];	/* uname -r */
	/* said once per source: what it cannot show (hidden PFNs...) */
	char note[256];
	void *priv;
};

int pt_source_open(struct pt_source *s, enum pt_backend b, struct pt_err *err);
void pt_source_close(struct pt_source *s);
int pt_backend_parse(const char *s, enum pt_backend *b);

/* The /proc source, also used by the module source for its derived side. */
int pt_pagemap_open(struct pt_source *s, struct pt_err *err);

/*
 * Fills w->vma and w->pm for @pid at @addr from /proc (maps, smaps,
 * pagemap, kpageflags, kpagecount); -PT_NOT_MAPPED names the nearest
 * mappings.  @note, when not NULL, collects what could not be read.
 */
int pt_pagemap_fill(pid_t pid, uint64_t addr, struct pt_walk *w, char *note,
		    size_t note_len, struct pt_err *err);
/* The two halves of pt_pagemap_fill(): the VMA, then the page. */
int pt_pagemap_vma(pid_t pid, uint64_t addr, struct pt_vma *v,
		   struct pt_err *err);
/* The VMA from maps alone: no smaps, which walks the VMA's page tables. */
int pt_maps_vma(pid_t pid, uint64_t addr, struct pt_vma *v, struct pt_err *err);
int pt_pagemap_read(pid_t pid, uint64_t addr, struct pt_walk *w, char *note,
		    size_t note_len, struct pt_err *err);
/* Decodes one pagemap word (exposed for the parser tests). */
void pt_pagemap_decode_word(uint64_t word, struct pt_pagemap *pm);

/* An empty walk of @pid at @addr, named for source @s. */
void pt_walk_init(const struct pt_source *s, pid_t pid, uint64_t addr,
		  struct pt_walk *w);

/* Sets w->release and the layout for the running kernel. */
void pt_source_init_common(struct pt_source *s);

#endif
