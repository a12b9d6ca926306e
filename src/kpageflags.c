// SPDX-License-Identifier: GPL-2.0
#include <linux/kernel-page-flags.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kpageflags.h"
#include "layout.h"
#include "model.h"

/*
 * The kernel-hacking bits: include/linux/kernel-page-flags.h, set by
 * stable_page_flags() in fs/proc/page.c.  Not in the UAPI header.
 */
#define PT_KPF_RESERVED 32
#define PT_KPF_MLOCKED 33
#define PT_KPF_OWNER_2 34
#define PT_KPF_PRIVATE 35
#define PT_KPF_PRIVATE_2 36
#define PT_KPF_OWNER_PRIVATE 37
#define PT_KPF_ARCH 38
#define PT_KPF_UNCACHED 39
#define PT_KPF_SOFTDIRTY 40
#define PT_KPF_ARCH_2 41
#define PT_KPF_ARCH_3 42

/*
 * Named as tools/mm/page-types.c's page_flag_names[] names them (its long
 * names, without the one-letter prefix); arch_3 (6.10+) is newer than
 * page-types' table and takes the kernel's macro name.
 */
static const char *const pt_kpf_names[] = {
	[KPF_LOCKED] = "locked",
	[KPF_ERROR] = "error",
	[KPF_REFERENCED] = "referenced",
	[KPF_UPTODATE] = "uptodate",
	[KPF_DIRTY] = "dirty",
	[KPF_LRU] = "lru",
	[KPF_ACTIVE] = "active",
	[KPF_SLAB] = "slab",
	[KPF_WRITEBACK] = "writeback",
	[KPF_RECLAIM] = "reclaim",
	[KPF_BUDDY] = "buddy",
	[KPF_MMAP] = "mmap",
	[KPF_ANON] = "anonymous",
	[KPF_SWAPCACHE] = "swapcache",
	[KPF_SWAPBACKED] = "swapbacked",
	[KPF_COMPOUND_HEAD] = "compound_head",
	[KPF_COMPOUND_TAIL] = "compound_tail",
	[KPF_HUGE] = "huge",
	[KPF_UNEVICTABLE] = "unevictable",
	[KPF_HWPOISON] = "hwpoison",
	[KPF_NOPAGE] = "nopage",
	[KPF_KSM] = "ksm",
	[KPF_THP] = "thp",
	[KPF_OFFLINE] = "offline",
	[KPF_ZERO_PAGE] = "zero_page",
	[KPF_IDLE] = "idle_page",
	[KPF_PGTABLE] = "pgtable",
	[PT_KPF_RESERVED] = "reserved",
	[PT_KPF_MLOCKED] = "mlocked",
	[PT_KPF_OWNER_2] = "owner_2",
	[PT_KPF_PRIVATE] = "private",
	[PT_KPF_PRIVATE_2] = "private_2",
	[PT_KPF_OWNER_PRIVATE] = "owner_private",
	[PT_KPF_ARCH] = "arch",
	[PT_KPF_UNCACHED] = "uncached",
	[PT_KPF_SOFTDIRTY] = "softdirty",
	[PT_KPF_ARCH_2] = "arch_2",
	[PT_KPF_ARCH_3] = "arch_3",
};

const char *pt_kpf_name(unsigned int bit)
{
	if (bit >= sizeof(pt_kpf_names) / sizeof(pt_kpf_names[0]))
		return NULL;
	return pt_kpf_names[bit];
}

const char *pt_kpf_name_in(unsigned int bit, uint64_t flags)
{
	/* PG_anon_exclusive = PG_owner_2 (PG_mappedtodisk in 6.1) */
	if (bit == PT_KPF_OWNER_2 && (flags & (1ull << KPF_ANON)))
		return "anon_exclusive";
	return pt_kpf_name(bit);
}

/*
 * The kernels whose fs/proc/page.c was read for an erratum, and where:
 * the line that has it at each version that has it, NULL at each that
 * does not.  A kernel between two read versions with different answers
 * is not known by version.
 */
struct pt_kpf_erratum {
	const char *id;
	unsigned int flag;	/* the KPF_ bit it sets wrongly */
	uint64_t on;		/* ... on pages with all these flags */
	const char *text;
	struct {
		unsigned int kver;
		const char *line;	/* NULL: this version's code is right */
	} at[4];
	/* the live check: the flag cannot be true (KSM never ran) */
	bool (*impossible)(int ksm);
	const char *impossible_why;
};

static bool pt_ksm_never_ran(int ksm)
{
	return ksm == PT_KSM_NEVER_RAN;
}

#define PT_KPF_ERRATA_NR 1
static const struct pt_kpf_erratum pt_kpf_errata_table[PT_KPF_ERRATA_NR] = {
	/*
	 * stable_page_flags() tests mapping & PAGE_MAPPING_KSM (later
	 * FOLIO_MAPPING_KSM), ANON|MOVABLE, which any anonymous mapping
	 * meets; 6.1 asked PageKsm(), 7.1 compares the two flag bits.
	 */
	{ "ksm-every-anon", KPF_KSM, 1ull << KPF_ANON,
	  "this kernel sets KSM on every anonymous page",
	  { { PT_KV(6, 1), NULL },
	    { PT_KV(6, 12), "fs/proc/page.c:136 at 6.12" },
	    { PT_KV(6, 18), "fs/proc/page.c:177 at 6.18" },
	    { PT_KV(7, 1), NULL } },
	  pt_ksm_never_ran, "KSM had never run (/sys/kernel/mm/ksm/full_scans was 0)" },
};

void pt_kpf_errata_print(FILE *f, bool man)
{
	size_t i, k, n;

	fprintf(f, man ? ".Ss kpageflags errata\n.Bl -tag -width Ds\n" : "kpageflags errata\n");
	for (i = 0; i < PT_KPF_ERRATA_NR; i++) {
		const struct pt_kpf_erratum *e = &pt_kpf_errata_table[i];

		n = sizeof(e->at) / sizeof(e->at[0]);
		if (man)
			fprintf(f, ".It Li %s\n%s: %s.\nRead:", e->id, pt_kpf_name(e->flag), e->text);
		else
			fprintf(f, "  %-15s %s: %s; read:", e->id, pt_kpf_name(e->flag), e->text);
		for (k = 0; k < n; k++) {
			if (e->at[k].line)
				fprintf(f, "%s %s", k ? "," : "", e->at[k].line);
			else
				fprintf(f, "%s %u.%u right", k ? "," : "", e->at[k].kver >> 16,
					(e->at[k].kver >> 8) & 0xff);
		}
		fprintf(f, man ? ".\nSeen live where %s.\n" : "; seen live where %s\n",
			e->impossible_why);
	}
	if (man)
		fprintf(f, ".El\n");
}

/*
 * The line of the read version whose code @kver runs (NULL: that code is
 * right); *@known false where @kver lies between two read versions that
 * disagree, and the line is then the one that has it.
 */
static const char *pt_erratum_line(const struct pt_kpf_erratum *e, unsigned int kver, bool *known)
{
	size_t i, n = sizeof(e->at) / sizeof(e->at[0]);

	*known = true;
	kver &= ~0xffu;
	if (!kver || kver <= e->at[0].kver)
		return kver ? e->at[0].line : NULL;
	for (i = 0; i + 1 < n && e->at[i + 1].kver <= kver; i++)
		;
	if (i + 1 == n || e->at[i].kver == kver || !e->at[i].line == !e->at[i + 1].line)
		return e->at[i].line;
	*known = false;
	return e->at[i].line ? e->at[i].line : e->at[i + 1].line;
}

/* the newest read version's line that has it (a fixed kernel that shows it) */
static const char *pt_erratum_newest(const struct pt_kpf_erratum *e)
{
	size_t i = sizeof(e->at) / sizeof(e->at[0]);

	while (i-- > 0)
		if (e->at[i].line)
			return e->at[i].line;
	return "";
}

/* how the version's verdict was told, by KSM's state read with the page */
static const char *pt_ksm_told(int ksm)
{
	switch (ksm) {
	case PT_KSM_HAS_RUN:
		return "KSM has run: the page may be merged too";
	case PT_KSM_UNREADABLE:
		return "KSM's counters are unreadable";
	default:
		return "KSM's state was not read with the page";
	}
}

size_t pt_kpf_errata(uint64_t flags, unsigned int kver, int ksm,
		     struct pt_kpf_erratum_seen *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < PT_KPF_ERRATA_NR && n < max; i++) {
		const struct pt_kpf_erratum *e = &pt_kpf_errata_table[i];
		struct pt_kpf_erratum_seen *o = &out[n];
		bool set = flags & (1ull << e->flag), known;
		const char *line = pt_erratum_line(e, kver, &known);
		bool impossible;

		if ((flags & e->on) != e->on || (!set && !line))
			continue;
		impossible = e->impossible && e->impossible(ksm);
		memset(o, 0, sizeof(*o));
		o->id = e->id;
		o->flag = pt_kpf_name(e->flag);
		if (set && impossible) {
			/* the flag is set where it cannot be true */
			o->applies = true;
			snprintf(o->text, sizeof(o->text), "%s: %s; seen live: %s", e->text,
				 line ? line : pt_erratum_newest(e), e->impossible_why);
		} else if (set && line) {
			o->applies = true;
			snprintf(o->text, sizeof(o->text), "%s%s: %s; told by the version only (%s)",
				 e->text, known ? "" : " maybe", line, pt_ksm_told(ksm));
		} else if (!set && line && known) {
			/* the code of this version has it, the page does not */
			snprintf(o->text, sizeof(o->text),
				 "not on this kernel: %s has it, yet this page does not say %s (fixed here, a stable backport)",
				 line, pt_kpf_name(e->flag));
		} else {
			continue;
		}
		n++;
	}
	return n;
}

void pt_kpf_json(struct pt_json *j, const char *key, uint64_t flags)
{
	const char *name;
	char other[8];
	unsigned int b;

	pt_json_arr_begin(j, key);
	for (b = 0; b < 64; b++) {
		if (!(flags & (1ull << b)))
			continue;
		name = pt_kpf_name_in(b, flags);
		if (!name) {
			snprintf(other, sizeof(other), "kpf%u", b);
			name = other;
		}
		pt_json_str(j, NULL, name);
	}
	pt_json_arr_end(j);
}
