// SPDX-License-Identifier: GPL-2.0
/*
 * The backend choice: pt_backend_parse(), pt_source_open() and
 * pt_source_new(), declared in source.h with the interface.  They name
 * the backends (kmod.c, pagemap.c), which include source.h: here, and
 * not in source.c, the interface does not depend on its implementations.
 */
#include <stdlib.h>
#include <string.h>

#include "kmod.h"
#include "procfs.h"
#include "source.h"

int pt_backend_parse(const char *s, enum pt_backend *b)
{
	if (!strcmp(s, "auto"))
		*b = PT_BACKEND_AUTO;
	else if (!strcmp(s, "kmod"))
		*b = PT_BACKEND_KMOD;
	else if (!strcmp(s, "pagemap"))
		*b = PT_BACKEND_PAGEMAP;
	else
		return -1;
	return 0;
}

int pt_source_open(struct pt_source *s, enum pt_backend b, struct pt_err *err)
{
	switch (b) {
	case PT_BACKEND_KMOD:
		return pt_kmod_open(s, err);
	case PT_BACKEND_AUTO:
		/* the module when its files exist, else /proc */
		if (!pt_kmod_open(s, NULL))
			return 0;
		return pt_pagemap_open(s, err);
	default:
		return pt_pagemap_open(s, err);
	}
}

int pt_source_new(struct pt_source **src, enum pt_backend b, pid_t pid, pid_t child,
		  struct pt_err *err)
{
	int ret;

	*src = NULL;
	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	if (child) {
		ret = pt_proc_check(child, err);
		if (ret < 0)
			return ret;
	}
	*src = malloc(sizeof(**src));
	if (!*src)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	ret = pt_source_open(*src, b, err);
	if (ret < 0) {
		free(*src);
		*src = NULL;
	}
	return ret;
}
