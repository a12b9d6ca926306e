// SPDX-License-Identifier: GPL-2.0
/* The architecture-neutral half of the decoder: see layout.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

static const struct pt_arch *const pt_arches[] = {
	&pt_arch_x86_64,
	&pt_arch_arm64,
};

static const char *const pt_level_names[PT_NR_LEVELS] = {
	"pgd", "p4d", "pud", "pmd", "pte",
};

static const char *const pt_state_names[PT_STATE_NR] = {
	[PT_STATE_ABSENT] = "absent",
	[PT_STATE_NONE] = "none",
	[PT_STATE_TABLE] = "table",
	[PT_STATE_LEAF] = "leaf",
	[PT_STATE_PROT_NONE] = "prot_none",
	[PT_STATE_INVALID] = "invalid",
	[PT_STATE_SWAP] = "swap",
	[PT_STATE_MIGRATION] = "migration",
	[PT_STATE_HWPOISON] = "hwpoison",
	[PT_STATE_MARKER] = "marker",
	[PT_STATE_DEVICE] = "device",
	[PT_STATE_SWAPIN_ERROR] = "swapin_error",
};

const struct pt_arch *pt_arch_find(const char *name)
{
	size_t i;

	if (!strcmp(name, "aarch64"))
		name = "arm64";
	if (!strcmp(name, "amd64"))
		name = "x86_64";
	for (i = 0; i < sizeof(pt_arches) / sizeof(pt_arches[0]); i++)
		if (!strcmp(pt_arches[i]->name, name))
			return pt_arches[i];
	return NULL;
}

const struct pt_arch *const *pt_arch_all(size_t *nr)
{
	*nr = sizeof(pt_arches) / sizeof(pt_arches[0]);
	return pt_arches;
}

unsigned int pt_kver_parse(const char *release)
{
	unsigned int a, b;

	if (!release || sscanf(release, "%u.%u", &a, &b) != 2 || a > 255 ||
	    b > 255)
		return 0;
	return PT_KV(a, b);
}

const char *pt_level_name(enum pt_level l)
{
	return (unsigned int)l < PT_NR_LEVELS ? pt_level_names[l] : "?";
}

int pt_level_parse(const char *s, enum pt_level *l)
{
	int i;

	for (i = 0; i < PT_NR_LEVELS; i++) {
		if (!strcmp(s, pt_level_names[i])) {
			*l = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *pt_state_name(enum pt_state st)
{
	return (unsigned int)st < PT_STATE_NR ? pt_state_names[st] : "?";
}

unsigned int pt_state_shape(enum pt_state st)
{
	switch (st) {
	case PT_STATE_TABLE:
		return PT_SHAPE_TABLE;
	case PT_STATE_LEAF:
		return PT_SHAPE_LEAF;
	case PT_STATE_PROT_NONE:
	case PT_STATE_INVALID:
		return PT_SHAPE_PROT_NONE;
	case PT_STATE_ABSENT:
	case PT_STATE_NONE:
		return 0;
	default:
		return PT_SHAPE_NONPRESENT;
	}
}

static bool pt_row_active(const struct pt_bit *r, unsigned int kver)
{
	/* An unknown kernel (kver 0) gets the newest meaning of every bit. */
	if (!kver)
		return !r->until;
	if (r->since && kver < r->since)
		return false;
	if (r->until && kver >= r->until)
		return false;
	return true;
}

static void pt_swp_types_default(unsigned int kver, struct pt_swp_types *t)
{
	/*
	 * include/linux/swap.h with Debian's configuration (MIGRATION,
	 * PTE_MARKER, no DEVICE_PRIVATE); 6.1 has no MEMORY_FAILURE but
	 * SWP_SWAPIN_ERROR, 6.12 the reverse.  The module reports the
	 * running kernel's own numbers.
	 */
	t->max_swapfiles = 27;
	t->device_first = -1;
	if (kver && kver < PT_KV(6, 6)) {
		t->hwpoison = -1;
		t->migration_read = 27;
		t->marker = 30;
		t->swapin_error = 31;
	} else {
		t->hwpoison = 27;
		t->migration_read = 28;
		t->marker = 31;
		t->swapin_error = -1;
	}
}

enum pt_state pt_swp_state(const struct pt_layout *ly, unsigned int type)
{
	const struct pt_swp_types *t = &ly->swp;

	if (type < t->max_swapfiles)
		return PT_STATE_SWAP;
	if ((int)type == t->hwpoison)
		return PT_STATE_HWPOISON;
	if (t->migration_read >= 0 && (int)type >= t->migration_read &&
	    (int)type < t->migration_read + 3)
		return PT_STATE_MIGRATION;
	if (t->device_first >= 0 && (int)type >= t->device_first &&
	    (int)type < t->device_first + 4)
		return PT_STATE_DEVICE;
	if ((int)type == t->marker)
		return PT_STATE_MARKER;
	if ((int)type == t->swapin_error)
		return PT_STATE_SWAPIN_ERROR;
	return PT_STATE_SWAP;
}

static void pt_layout_note(struct pt_layout *ly, const char *fmt,
			   const char *name, uint64_t was, uint64_t now)
{
	size_t len = strlen(ly->kmod_diff);

	if (len + 2 >= sizeof(ly->kmod_diff))
		return;
	snprintf(ly->kmod_diff + len, sizeof(ly->kmod_diff) - len, fmt,
		 len ? "; " : "", name, (unsigned long long)was,
		 (unsigned long long)now);
}

void pt_layout_init(struct pt_layout *ly, const struct pt_arch *arch,
		    unsigned int kver)
{
	size_t i;

	memset(ly, 0, sizeof(*ly));
	ly->arch = arch;
	ly->kver = kver;
	for (i = 0; i < arch->nr_bits && ly->nr_rows < PT_MAX_ROWS; i++)
		if (pt_row_active(&arch->bits[i], kver))
			ly->rows[ly->nr_rows++] = arch->bits[i];
	for (i = 0; i < arch->nr_values && i < PT_MAX_VALUES; i++)
		ly->values[ly->nr_values++] = arch->values[i];
	pt_swp_types_default(kver, &ly->swp);
	if (arch->adjust)
		arch->adjust(ly);
}

void pt_layout_set_la57(struct pt_layout *ly, bool la57)
{
	ly->la57 = la57;
	if (ly->arch->adjust)
		ly->arch->adjust(ly);
}

const struct pt_value *pt_layout_value(const struct pt_layout *ly,
				       const struct pt_bit *r, uint64_t v)
{
	size_t i;

	for (i = 0; i < ly->nr_values; i++)
		if (ly->values[i].value == v &&
		    !strcmp(ly->values[i].field, r->name))
			return &ly->values[i];
	return NULL;
}

/*
 * The module names the running kernel's MAIR slots ("mt MT_NORMAL 0"):
 * its number wins over the table's for the same name; a name the table
 * lacks is added.  The difference is kept to be shown, as for bits.
 */
int pt_layout_set_value(struct pt_layout *ly, const char *field, uint64_t value,
			const char *name)
{
	const struct pt_bit *r = pt_layout_row(ly, field);
	struct pt_value *v, kept;
	size_t i, len = strlen(ly->kmod_diff);

	if (!r || !(r->flags & PT_BIT_FIELD) ||
	    value > pt_row_value(r, r->mask))
		return -EINVAL;
	for (i = 0; i < ly->nr_values; i++) {
		v = &ly->values[i];
		if (strcmp(v->field, field) || strcmp(v->name, name))
			continue;
		if (v->value == value)
			return 0;
		pt_layout_note(ly, "%s%s: table %llu, kernel %llu", name,
			       v->value, value);
		/* first, so it wins over a table name of the same number */
		kept = *v;
		kept.value = value;
		memmove(&ly->values[1], &ly->values[0],
			i * sizeof(ly->values[0]));
		ly->values[0] = kept;
		return 0;
	}
	if (ly->nr_values >= PT_MAX_VALUES || ly->nr_kmod_values >= 8 ||
	    strlen(name) >= sizeof(ly->kmod_values[0]))
		return -ENOSPC;
	/* a name only this kernel has: first, as above */
	memmove(&ly->values[1], &ly->values[0],
		ly->nr_values * sizeof(ly->values[0]));
	ly->nr_values++;
	v = &ly->values[0];
	memset(v, 0, sizeof(*v));
	v->field = r->name;
	v->value = value;
	v->name = strcpy(ly->kmod_values[ly->nr_kmod_values++], name);
	v->abbr = v->name;
	v->desc = "named by the running kernel's layout";
	if (len + 2 < sizeof(ly->kmod_diff))
		snprintf(ly->kmod_diff + len, sizeof(ly->kmod_diff) - len,
			 "%s%s: kernel %llu", len ? "; " : "", name,
			 (unsigned long long)value);
	return 0;
}

const struct pt_bit *pt_layout_row(const struct pt_layout *ly,
				   const char *name)
{
	size_t i;

	for (i = 0; i < ly->nr_rows; i++)
		if (!strcmp(ly->rows[i].name, name))
			return &ly->rows[i];
	return NULL;
}

/*
 * The module knows the running kernel's masks; where the built-in table
 * disagrees the module wins, and the difference is kept to be shown.
 * Rows are matched by name on the levels the module names.
 */
int pt_layout_set_bit(struct pt_layout *ly, const char *name,
		      unsigned int levels, uint64_t mask)
{
	struct pt_bit *r;
	bool found = false;
	size_t i;

	for (i = 0; i < ly->nr_rows; i++) {
		r = &ly->rows[i];
		if (strcmp(r->name, name) || !(r->levels & levels))
			continue;
		found = true;
		if (r->mask != mask) {
			pt_layout_note(ly, "%s%s: table 0x%llx, kernel 0x%llx",
				       name, r->mask, mask);
			r->mask = mask;
		}
	}
	if (found)
		return 0;
	if (ly->nr_rows >= PT_MAX_ROWS || ly->nr_kmod_names >= 16 ||
	    strlen(name) >= sizeof(ly->kmod_names[0]))
		return -ENOSPC;
	/* a bit the table does not know for this kernel */
	r = &ly->rows[ly->nr_rows++];
	memset(r, 0, sizeof(*r));
	r->levels = levels;
	r->shapes = PT_SHAPE_LEAF;
	r->mask = mask;
	r->name = strcpy(ly->kmod_names[ly->nr_kmod_names++], name);
	r->abbr = r->name;
	r->desc = "named by the running kernel's layout";
	r->flags = PT_BIT_KMOD | PT_BIT_SW;
	pt_layout_note(ly, "%s%s: table 0x%llx, kernel 0x%llx", name, 0, mask);
	return 0;
}

unsigned int pt_layout_levels(const struct pt_layout *ly)
{
	return ly->arch->levels(ly);
}

bool pt_row_applies(const struct pt_bit *r, enum pt_level l, enum pt_state st)
{
	return (r->levels & PT_L(l)) && (r->shapes & pt_state_shape(st));
}

uint64_t pt_row_value(const struct pt_bit *r, uint64_t raw)
{
	if (!r->mask)
		return 0;
	return (raw & r->mask) >> __builtin_ctzll(r->mask);
}

bool pt_row_shown(const struct pt_layout *ly, const struct pt_bit *r,
		  uint64_t raw)
{
	uint64_t v = pt_row_value(r, raw);

	return v || ((r->flags & PT_BIT_FIELD) && pt_layout_value(ly, r, v));
}

const char *pt_field_text(const struct pt_layout *ly, const struct pt_bit *r,
			  uint64_t raw, bool abbr, char *buf, size_t len)
{
	uint64_t v = pt_row_value(r, raw);
	const struct pt_value *n = pt_layout_value(ly, r, v);

	if (n)
		snprintf(buf, len, "%s", abbr ? n->abbr : n->name);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

void pt_decode(const struct pt_layout *ly, enum pt_level l, uint64_t raw,
	       struct pt_decoded *d)
{
	const struct pt_arch *a = ly->arch;
	uint64_t known;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->state = a->state(ly, l, raw);
	if (d->state == PT_STATE_NONE)
		return;
	known = a->pfn_mask(ly, l, d->state);
	if (d->state == PT_STATE_TABLE || d->state == PT_STATE_LEAF ||
	    d->state == PT_STATE_PROT_NONE || d->state == PT_STATE_INVALID) {
		d->pfn = a->pfn(ly, l, d->state, raw);
		d->has_pfn = true;
		if (d->state != PT_STATE_TABLE)
			d->size = 1ull << a->shift(ly, l);
	} else {
		a->swp(ly, raw, &d->swp_type, &d->swp_offset);
		known |= a->swp_mask(ly);
	}
	for (i = 0; i < ly->nr_rows; i++)
		if (pt_row_applies(&ly->rows[i], l, d->state))
			known |= ly->rows[i].mask;
	d->unknown = raw & ~known;
	a->summary(ly, l, d->state, raw, &d->sum);
}
