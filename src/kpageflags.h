/* SPDX-License-Identifier: GPL-2.0 */
/* Names of /proc/kpageflags bits, as tools/mm/page-types.c names them. */
#ifndef PT_KPAGEFLAGS_H
#define PT_KPAGEFLAGS_H

#include <stdint.h>

#include "json.h"

/* The name of KPF bit @bit, or NULL for a bit without a UAPI name. */
const char *pt_kpf_name(unsigned int bit);
/* @key: the names of @flags' bits as an array, "kpfN" for a bit without one */
void pt_kpf_json(struct pt_json *j, const char *key, uint64_t flags);

#endif
