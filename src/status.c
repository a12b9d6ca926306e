// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "status.h"

static const struct {
	const char *name;
	int code;
	const char *msg;
} pt_status_rows[] = {
#define PT_STATUS_ROW(n, c, m) { #n, c, m },
	PT_STATUS_TABLE(PT_STATUS_ROW)
#undef PT_STATUS_ROW
};

const char *pt_status_msg(enum pt_status st)
{
	if ((unsigned int)st >= PT_STATUS_NR)
		st = PT_INTERNAL;
	return pt_status_rows[st].msg;
}

int pt_status_exit_code(enum pt_status st)
{
	if ((unsigned int)st >= PT_STATUS_NR)
		st = PT_INTERNAL;
	return pt_status_rows[st].code;
}

const char *pt_status_name(enum pt_status st)
{
	if ((unsigned int)st >= PT_STATUS_NR)
		st = PT_INTERNAL;
	return pt_status_rows[st].name;
}

int pt_err_set(struct pt_err *err, enum pt_status st, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->status = st;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -(int)st;
}
