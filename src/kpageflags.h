/* SPDX-License-Identifier: GPL-2.0 */
/* Names of /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h). */
#ifndef PT_KPAGEFLAGS_H
#define PT_KPAGEFLAGS_H

#include <stdint.h>

/* The name of KPF bit @bit, or NULL for a bit without a UAPI name. */
const char *pt_kpf_name(unsigned int bit);

#endif
