// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "kmod.h"
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

void pt_source_close(struct pt_source *s)
{
	if (s->ops)
		s->ops->close(s);
	s->ops = NULL;
}
