/* SPDX-License-Identifier: GPL-2.0 */
/* Names of /proc/kpageflags bits, as tools/mm/page-types.c names them. */
#ifndef PT_KPAGEFLAGS_H
#define PT_KPAGEFLAGS_H

#include <stdint.h>

/* The name of KPF bit @bit, or NULL for a bit without a UAPI name. */
const char *pt_kpf_name(unsigned int bit);

#endif
