// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for src/kmod.c's reading of the module's walk answers
 * (and, with the first byte odd, of its layout file), under ASan and
 * UBSan.  Beyond not crashing: an accepted answer keeps the promises of
 * struct pt_kmod_answer (entries under a vma, runs of ptes only, at most
 * PT_KMOD_MAX_ENTRIES counting each of a run, "more" inside the query,
 * "unfollowed" after a vma),
 * spans of ptes with words only, counted), and printed back in the
 * module's format, short lines where they may stand, it reads the same.  A broken
 * promise aborts, which libFuzzer reports.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmod.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_kanswer: %s\n", what);
	abort();
}

/*
 * Whether @e may be a short line after @prev (protocol 5), as the module
 * writes one: ptes with words, @e the page after @prev's last, its value
 * and word that last pte's plus *@d pages and *@d
 */
static bool follows(const struct pt_kmod_entry *prev, const struct pt_kmod_entry *e,
		    uint64_t *d)
{
	uint64_t last, step;

	if (!prev || prev->level != PT_PTE || !prev->has_pm || prev->span ||
	    e->level != PT_PTE || !e->has_pm || e->span)
		return false;
	last = prev->count - 1;
	step = (uint64_t)prev->count * PT_KMOD_PAGE;
	*d = e->pm - prev->pm - last;
	return prev->va <= UINT64_MAX - step && e->va == prev->va + step &&
	       e->raw == prev->raw + (last + *d) * PT_KMOD_PAGE;
}

/* @a in the module's format, into a malloc'd buffer; its length in @len */
static char *print_back(const struct pt_kmod_answer *a, size_t *len)
{
	size_t i, j = 0, cap = 128 + (a->nr_vmas + a->nr_entries) * 96 + a->nr_unfollowed * 32;
	char *buf = malloc(cap), *p = buf;

	if (!buf)
		return NULL;
	p += sprintf(p, "ptdump_helper 6\nquery %d %" PRIx64 " %" PRIx64 "\n", a->pid,
		     a->start, a->end);
	for (i = 0; i < a->nr_vmas; i++) {
		const struct pt_kmod_entry *prev = NULL;

		p += sprintf(p, "vma %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", a->vmas[i].start,
			     a->vmas[i].end, a->vmas[i].flags);
		for (; j < a->nr_entries && a->entries[j].vma == i; prev = &a->entries[j++]) {
			const struct pt_kmod_entry *e = &a->entries[j];
			uint64_t d;

			if (follows(prev, e, &d)) {
				p += sprintf(p, "%c%" PRIx64, (int64_t)d < 0 ? '-' : '+',
					     (int64_t)d < 0 ? -d : d);
			} else {
				p += sprintf(p, "%s %" PRIx64 " %016" PRIx64 " leaf",
					     pt_level_name(e->level), e->va, e->raw);
				if (e->has_pm)
					p += sprintf(p, " %016" PRIx64, e->pm);
			}
			if (e->count > 1)
				p += sprintf(p, " %x", e->count);
			if (e->span)
				p += sprintf(p, " s");
			*p++ = '\n';
		}
	}
	/* only the first address is kept: the others print as it */
	for (i = 0; i < a->nr_unfollowed && a->nr_vmas; i++) {
		p += sprintf(p, "unfollowed %" PRIx64 "\n", a->unfollowed);
	}
	if (a->has_more)
		p += sprintf(p, "more %" PRIx64 "\n", a->more);
	p += sprintf(p, "end\n");
	*len = p - buf;
	return buf;
}

static void check_answer(const struct pt_kmod_answer *a)
{
	struct pt_kmod_answer b;
	size_t i, n = 0, spans = 0, len;
	char *text;

	must(a->nr_expanded <= PT_KMOD_MAX_ENTRIES, "more entries than the limit");
	must(!a->has_more || (a->more > a->start && a->more < a->end), "more outside the query");
	for (i = 0; i < a->nr_vmas; i++)
		must(a->vmas[i].start < a->vmas[i].end, "an empty vma");
	for (i = 0; i < a->nr_entries; i++) {
		const struct pt_kmod_entry *e = &a->entries[i];

		must(e->vma < a->nr_vmas && (!i || e->vma >= e[-1].vma), "an entry outside the vmas");
		must(e->count >= 1 && (e->count == 1 || (e->level == PT_PTE && e->has_pm)),
		     "a run that is not of ptes");
		must(!e->span || e->count >= 2, "a span of one pte");
		n += e->count;
		spans += e->span;
	}
	must(n == a->nr_expanded, "runs do not add up");
	must(spans == a->nr_spans, "spans do not add up");
	must(!a->nr_unfollowed || a->nr_vmas, "unfollowed outside a vma");
	text = print_back(a, &len);
	if (!text)
		return;
	must(!pt_kmod_parse_answer(text, len, &b), "printed back, refused");
	must(b.nr_vmas == a->nr_vmas && b.nr_entries == a->nr_entries && b.has_more == a->has_more &&
	     b.pid == a->pid && b.start == a->start && b.end == a->end &&
	     b.nr_unfollowed == a->nr_unfollowed && (!b.nr_unfollowed || b.unfollowed == a->unfollowed),
	     "printed back, read otherwise");
	for (i = 0; i < a->nr_vmas; i++)
		must(!memcmp(&a->vmas[i], &b.vmas[i], sizeof(b.vmas[i])), "a vma read otherwise");
	for (i = 0; i < a->nr_entries; i++) {
		const struct pt_kmod_entry *x = &a->entries[i], *y = &b.entries[i];

		must(x->level == y->level && x->has_pm == y->has_pm && x->va == y->va &&
		     x->raw == y->raw && (!x->has_pm || x->pm == y->pm) && x->vma == y->vma &&
		     x->count == y->count && x->span == y->span, "an entry read otherwise");
	}
	pt_kmod_answer_free(&b);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pt_layout ly;
	struct pt_kmod_answer a;
	char *s;

	if (!size)
		return 0;
	/* exactly the bytes after the first: ASan sees any read past them */
	s = malloc(size - 1 ? size - 1 : 1);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	if (data[0] & 1) {
		pt_layout_init(&ly, data[0] & 2 ? &pt_arch_arm64 : &pt_arch_x86_64, PT_KV(6, 12));
		pt_kmod_parse_layout(s, size - 1, &ly);
	} else if (!pt_kmod_parse_answer(s, size - 1, &a)) {
		check_answer(&a);
		pt_kmod_answer_free(&a);
	}
	free(s);
	return 0;
}
