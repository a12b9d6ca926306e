/* SPDX-License-Identifier: GPL-2.0 */
/* Names of /proc/kpageflags bits, as tools/mm/page-types.c names them. */
#ifndef PT_KPAGEFLAGS_H
#define PT_KPAGEFLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"

/* The name of KPF bit @bit, or NULL for a bit without a UAPI name. */
const char *pt_kpf_name(unsigned int bit);
/*
 * Bit @bit's name among @flags, the page's: bit 34 of an anonymous page is
 * PG_anon_exclusive ("anon_exclusive"), of any other page "owner_2".
 */
const char *pt_kpf_name_in(unsigned int bit, uint64_t flags);
/* @key: the names of @flags' bits as an array, "kpfN" for a bit without one */
void pt_kpf_json(struct pt_json *j, const char *key, uint64_t flags);

/*
 * Known reporting errata: a flag the kernel's code sets where it should
 * not (pt_kpf_errata_table, kpageflags.c).  Stable backports make a
 * version alone unreliable, so each is also checked live where a check
 * exists: the source reads that state with the page (struct pt_pagemap's
 * ksm), never the view.
 */

/* The errata table as text, or as mdoc for the man page (bits --man). */
void pt_kpf_errata_print(FILE *f, bool man);

struct pt_kpf_erratum_seen {
	const char *id;		/* "ksm-every-anon" */
	const char *flag;	/* the flag it is about: "ksm" */
	bool applies;		/* this page's flag is (or may be) the erratum's */
	/* "this kernel sets KSM on every anonymous page: fs/proc/page.c:136
	 * at 6.12" and how that was told */
	char text[256];
};

/*
 * The errata that concern a page with @flags on kernel @kver (0: unknown),
 * with KSM's state @ksm (enum pt_ksm_seen) read with the page:
 * how many were written to @out (at most @max).  One the kernel's version
 * has but the page shows fixed (a stable backport) is listed with applies
 * false.
 */
size_t pt_kpf_errata(uint64_t flags, unsigned int kver, int ksm,
		     struct pt_kpf_erratum_seen *out, size_t max);

#endif
