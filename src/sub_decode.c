// SPDX-License-Identifier: GPL-2.0
/*
 * ptinspect decode: one raw entry through the decoder, for any supported
 * architecture and kernel (a value pasted from a bug report or a kernel
 * log).  ptinspect bits: the decoder's table itself, also as mdoc for the
 * man page.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "kpageflags.h"
#include "options.h"
#include "report.h"

static int pt_layout_for(const struct pt_options *o, struct pt_layout *ly,
			 struct pt_err *err)
{
	const struct pt_arch *arch;
	struct utsname u;
	const char *rel;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	arch = pt_arch_find(o->arch ? o->arch : u.machine);
	if (!arch)
		return pt_err_set(err, PT_USAGE,
				  "unknown architecture '%s' (x86_64 or arm64)",
				  o->arch ? o->arch : u.machine);
	rel = o->kernel ? o->kernel : (o->arch ? NULL : u.release);
	if (o->kernel && !pt_kver_parse(o->kernel))
		return pt_err_set(err, PT_USAGE,
				  "unreadable kernel release '%s' (like 6.12)",
				  o->kernel);
	pt_layout_init(ly, arch, pt_kver_parse(rel));
	if (o->levels)
		pt_layout_set_la57(ly, o->levels == 5);
	return 0;
}

int pt_cmd_decode(const struct pt_options *o, struct pt_err *err)
{
	struct pt_layout *ly;
	struct pt_walk *w;
	enum pt_level l;
	uint64_t raw;
	char *end;
	int ret;

	if (pt_level_parse(o->level, &l) < 0)
		return pt_err_set(err, PT_USAGE,
				  "unknown level '%s' (pgd, p4d, pud, pmd, pte)",
				  o->level);
	errno = 0;
	raw = strtoull(o->raw, &end, 16);
	if (errno || *end || end == o->raw || o->raw[0] == '-')
		return pt_err_set(err, PT_USAGE, "malformed raw entry '%s' (hex)",
				  o->raw);
	ly = malloc(sizeof(*ly));
	w = calloc(1, sizeof(*w));
	if (!ly || !w) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	w->vma.path = "";
	ret = pt_layout_for(o, ly, err);
	if (ret < 0)
		goto out_free;
	/* a p4d exists with 5 levels (x86 LA57, arm64 LPA2) */
	if (!(pt_layout_levels(ly) & PT_L(l)) && !o->levels)
		pt_layout_set_la57(ly, true);
	if (!(pt_layout_levels(ly) & PT_L(l))) {
		ret = pt_err_set(err, PT_USAGE, "%s has no %s level", ly->arch->name,
				 pt_level_name(l));
		goto out_free;
	}
	if (o->json) {
		struct pt_json j;
		struct pt_decoded d;

		pt_decode(ly, l, raw, &d);
		pt_json_init(&j, stdout, true);
		pt_json_obj_begin(&j, NULL);
		pt_json_str(&j, "arch", ly->arch->name);
		pt_json_str(&j, "level", pt_level_name(l));
		pt_json_str(&j, "state", pt_state_name(d.state));
		pt_json_hex(&j, "raw", raw);
		if (d.has_pfn)
			pt_json_hex(&j, "pfn", d.pfn);
		if (d.size)
			pt_json_u64(&j, "size", d.size);
		if (d.state != PT_STATE_NONE)
			pt_report_json_bits(&j, ly, l, raw);
		pt_json_obj_end(&j);
		pt_json_end(&j);
		goto out_free;
	}
	/* the text view of a walk holding just this entry */
	w->level[l].state = ly->arch->state(ly, l, raw);
	w->level[l].has_raw = true;
	w->level[l].raw = raw;
	pt_report_entry_text(stdout, ly, w, l);
out_free:
	free(w);
	free(ly);
	return ret;
}

static void pt_levels_text(unsigned int levels, char *buf, size_t len)
{
	int l;

	buf[0] = '\0';
	if (levels == PT_L_ALL) {
		snprintf(buf, len, "all");
		return;
	}
	for (l = 0; l < PT_NR_LEVELS; l++)
		if (levels & PT_L(l))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				 buf[0] ? "," : "", pt_level_name(l));
}

static void pt_kernels_text(const struct pt_bit *r, char *buf, size_t len)
{
	unsigned int um = r->until >> 16, un = (r->until >> 8) & 0xff;

	if (!r->since && !r->until)
		snprintf(buf, len, "all");
	else if (!r->until)
		snprintf(buf, len, "%u.%u+", r->since >> 16, (r->since >> 8) & 0xff);
	else if (!r->since)
		snprintf(buf, len, "to %u.%u", un ? um : um - 1, un ? un - 1 : 99);
	else
		snprintf(buf, len, "%u.%u-%u.%u", r->since >> 16,
			 (r->since >> 8) & 0xff, un ? um : um - 1, un ? un - 1 : 99);
}

static void pt_shapes_text(unsigned int shapes, char *buf, size_t len)
{
	buf[0] = '\0';
	if (shapes & PT_SHAPE_TABLE)
		snprintf(buf + strlen(buf), len - strlen(buf), "table ");
	if (shapes & PT_SHAPE_LEAF)
		snprintf(buf + strlen(buf), len - strlen(buf), "leaf ");
	if (shapes & PT_SHAPE_PROT_NONE)
		snprintf(buf + strlen(buf), len - strlen(buf), "prot_none ");
	if (shapes & PT_SHAPE_NONPRESENT)
		snprintf(buf + strlen(buf), len - strlen(buf), "swap ");
	if (buf[0])
		buf[strlen(buf) - 1] = '\0';
}

/* A field's named values under its row; other values print as numbers. */
static void pt_bits_values(const struct pt_value *v, size_t n,
			   const char *field, bool man)
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].field, field))
			continue;
		if (man && !any)
			printf(".Bl -tag -width \"MT_DEVICE_nGnRnE\" -compact\n");
		any = true;
		if (man)
			printf(".It Li %s\n%" PRIu64
			       ", in the grid\n.Li %s :\n%s.\n",
			       v[i].name, v[i].value, v[i].abbr, v[i].desc);
		else
			printf("  %15s %-6s %13" PRIu64 " %-27s %s\n", "=",
			       v[i].abbr, v[i].value, v[i].name, v[i].desc);
	}
	if (man && any)
		printf(".El\n");
}

static void pt_bits_arch(const struct pt_arch *a, const struct pt_layout *ly,
			 bool man)
{
	char lv[64], kv[32], sh[48];
	size_t i, n = ly ? ly->nr_rows : a->nr_bits;

	if (man)
		printf(".Ss %s\n.Bl -tag -width \"saved_dirty\"\n", a->name);
	else
		printf("%s%s\n", a->name, ly ? " (for the chosen kernel)" : "");
	for (i = 0; i < n; i++) {
		const struct pt_bit *r = ly ? &ly->rows[i] : &a->bits[i];

		pt_levels_text(r->levels, lv, sizeof(lv));
		pt_kernels_text(r, kv, sizeof(kv));
		pt_shapes_text(r->shapes, sh, sizeof(sh));
		if (man)
			printf(".It Li %s\n.Li 0x%" PRIx64 " ;\nlevels %s; kernels %s; entries %s.\n%s.\n",
			       r->name, r->mask, lv, kv, sh, r->desc);
		else
			printf("  %-15s %-5s %-13s 0x%016" PRIx64 " %-9s %-22s %s\n",
			       r->name, r->abbr, lv, r->mask, kv, sh, r->desc);
		if (r->flags & PT_BIT_FIELD)
			pt_bits_values(ly ? ly->values : a->values,
				       ly ? ly->nr_values : a->nr_values,
				       r->name, man);
	}
	if (man)
		printf(".El\n");
}

int pt_cmd_bits(const struct pt_options *o, struct pt_err *err)
{
	const struct pt_arch *const *all;
	struct pt_layout *ly;
	size_t nr, i;
	int ret = 0;

	if (!o->arch && !o->kernel && !o->levels) {
		/* every architecture, every row, every kernel */
		all = pt_arch_all(&nr);
		for (i = 0; i < nr; i++)
			pt_bits_arch(all[i], NULL, o->man);
		pt_kpf_errata_print(stdout, o->man);
		return 0;
	}
	ly = malloc(sizeof(*ly));
	if (!ly)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	ret = pt_layout_for(o, ly, err);
	if (!ret)
		pt_bits_arch(ly->arch, ly, o->man);
	free(ly);
	return ret;
}
