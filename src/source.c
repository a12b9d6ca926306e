// SPDX-License-Identifier: GPL-2.0
#include <string.h>

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
		return pt_err_set(err, PT_NO_KMOD,
				  "the kmod backend is not built into this ptinspect");
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
