// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "scenario.h"

/* Built-in scripts: a kind to start with and the events to step through. */
const struct pt_scenario pt_scenarios[] = {
	{ "thread", "pfnmap",
	  "write parent; fork; read child; write child; write parent; "
	  "kind thp; write parent; fork; write child; write parent",
	  "the mailing-list thread on huge pfnmaps in fork(): a shared pfnmap keeps its write bit in parent and child (a huge pmd from 6.12, ptes before), a private THP loses it and keeps its dirtiness aside: x86 moves Dirty into SavedDirty (6.6 and later), arm64 moves hardware dirtiness (DBM set, PTE_RDONLY clear) into PTE_DIRTY" },
	{ "cow", "thp", PT_LAB_DEFAULT_SCRIPT,
	  "copy-on-write of a private THP" },
	{ "saved-dirty", "pfnmap",
	  "write parent; mprotect ro; mprotect rw; kind thp; write parent; mprotect ro; mprotect rw",
	  "mprotect moves Dirty into SavedDirty when it takes Write away and back when it gives Write again (pmd_modify, pud_modify, pte_modify), for a shared huge pfnmap and a private THP; the kind pfnmap-pud shows the same at pud level" },
	{ "write-notify", "pfnmap",
	  "clear-soft-dirty; read parent; write parent",
	  "soft-dirty tracking write-protects a shared pfnmap, so a read maps it read-only and the write that follows takes the huge write-fault path (wp_huge_pmd, or wp_huge_pud with the kind pfnmap-pud) back into the driver's huge_fault" },
	{ "pin", "anon",
	  "write parent; pin parent; fork; write child; write parent; unpin parent; exit child; "
	  "kind thp; write parent; pin parent; fork; write child; unpin parent",
	  "a page pinned for DMA (an io_uring fixed buffer) is copied for the child at fork instead of shared copy-on-write: the parent keeps its write bit, the child gets its own page; a pinned THP's pmd is split first" },
};

const size_t pt_nr_scenarios = sizeof(pt_scenarios) / sizeof(pt_scenarios[0]);

int pt_scenario_find(const char *name, const struct pt_scenario **sc,
		     struct pt_err *err)
{
	char names[160] = "";
	size_t i;

	for (i = 0; i < pt_nr_scenarios; i++) {
		if (!strcmp(pt_scenarios[i].name, name)) {
			*sc = &pt_scenarios[i];
			return 0;
		}
	}
	for (i = 0; i < pt_nr_scenarios; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", pt_scenarios[i].name);
	return pt_err_set(err, PT_USAGE, "unknown scenario '%s' (%s)", name, names);
}
