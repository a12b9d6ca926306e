// SPDX-License-Identifier: GPL-2.0
/* Structs written and read through tables of their fields (jsonfield.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "jsonfield.h"
#include "jsonread.h"
#include "layout.h"

static const char *pt_jf_base(const struct pt_jf *f, const void *base,
			      const struct pt_jf_ctx *c)
{
	return f->in == PT_JF_IN_SELF || !c ? base : c->in[f->in];
}

/* A member of @size bytes as a u64 (sign-extended when @sign). */
static uint64_t pt_jf_load(const void *p, size_t size, bool sign)
{
	uint8_t b;
	uint16_t h;
	uint32_t w;
	uint64_t q;

	switch (size) {
	case 1:
		memcpy(&b, p, 1);
		return sign ? (uint64_t)(int64_t)(int8_t)b : b;
	case 2:
		memcpy(&h, p, 2);
		return sign ? (uint64_t)(int64_t)(int16_t)h : h;
	case 4:
		memcpy(&w, p, 4);
		return sign ? (uint64_t)(int64_t)(int32_t)w : w;
	default:
		memcpy(&q, p, 8);
		return q;
	}
}

static void pt_jf_store(void *p, size_t size, uint64_t v)
{
	uint8_t b = (uint8_t)v;
	uint16_t h = (uint16_t)v;
	uint32_t w = (uint32_t)v;

	switch (size) {
	case 1:
		memcpy(p, &b, 1);
		break;
	case 2:
		memcpy(p, &h, 2);
		break;
	case 4:
		memcpy(p, &w, 4);
		break;
	default:
		memcpy(p, &v, 8);
	}
}

static bool pt_jf_flag(const char *b, size_t off)
{
	bool v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static size_t pt_jf_nr(const struct pt_jf *f, const char *b)
{
	uint64_t n = f->aux_size ? pt_jf_load(b + f->aux, f->aux_size, false) : f->max_nr;

	return n < f->max_nr ? (size_t)n : f->max_nr;
}

static const char *pt_jf_ptr(const char *m)
{
	const char *s;

	memcpy(&s, m, sizeof(s));
	return s ? s : "";
}

static void pt_jf_write_one(struct pt_json *j, const struct pt_jf *f, const char *b,
			    const struct pt_jf_ctx *c)
{
	const char *m = b + f->off;
	size_t i, n;

	switch (f->kind) {
	case PT_JF_U64:
		pt_json_u64(j, f->key, pt_jf_load(m, f->size, f->sign));
		break;
	case PT_JF_I64:
		pt_json_i64(j, f->key, (int64_t)pt_jf_load(m, f->size, f->sign));
		break;
	case PT_JF_HEX:
		pt_json_hex(j, f->key, pt_jf_load(m, f->size, false));
		break;
	case PT_JF_HEX_NULL:
		if (pt_jf_flag(b, f->aux))
			pt_json_hex(j, f->key, pt_jf_load(m, f->size, false));
		else
			pt_json_null(j, f->key);
		break;
	case PT_JF_BOOL:
		pt_json_bool(j, f->key, pt_jf_flag(m, 0));
		break;
	case PT_JF_STR:
		pt_json_str(j, f->key, m);
		break;
	case PT_JF_STR_NULL:
		if (m[0])
			pt_json_str(j, f->key, m);
		else
			pt_json_null(j, f->key);
		break;
	case PT_JF_PTR:
	case PT_JF_SOURCE:
	case PT_JF_ISTR:
		pt_json_str(j, f->key, pt_jf_ptr(m));
		break;
	case PT_JF_ISTR_NULL:
		if (pt_jf_ptr(m)[0])
			pt_json_str(j, f->key, pt_jf_ptr(m));
		else
			pt_json_null(j, f->key);
		break;
	case PT_JF_ENUM:
		pt_json_str(j, f->key, f->name((int)pt_jf_load(m, f->size, true)));
		break;
	case PT_JF_OBJ_NULL:
		if (!pt_jf_flag(b, f->aux)) {
			pt_json_null(j, f->key);
			break;
		}
		/* fall through */
	case PT_JF_OBJ:
		pt_json_obj_begin(j, f->key);
		pt_jf_write(j, f->sub, m, c);
		pt_json_obj_end(j);
		break;
	case PT_JF_ALSO:
		pt_jf_write(j, f->sub, m, c);
		break;
	case PT_JF_ARR:
		pt_json_arr_begin(j, f->key);
		for (i = 0, n = pt_jf_nr(f, b); i < n; i++) {
			pt_json_obj_begin(j, NULL);
			pt_jf_write(j, f->sub, m + i * f->elem, c);
			pt_json_obj_end(j);
		}
		pt_json_arr_end(j);
		break;
	case PT_JF_STRS:
	case PT_JF_HEXS:
		pt_json_arr_begin(j, f->key);
		for (i = 0, n = pt_jf_nr(f, b); i < n; i++) {
			if (f->kind == PT_JF_STRS)
				pt_json_str(j, NULL, m + i * f->elem);
			else
				pt_json_hex(j, NULL, pt_jf_load(m + i * f->elem, 8, false));
		}
		pt_json_arr_end(j);
		break;
	case PT_JF_HOOK:
	case PT_JF_END:
		break;
	}
}

/* PT_JF_OPT: a scalar that is zero, an object whose member at aux is */
static bool pt_jf_absent(const struct pt_jf *f, const char *b)
{
	if (!(f->flags & PT_JF_OPT))
		return false;
	if (f->aux_size)
		return !pt_jf_load(b + f->aux, f->aux_size, false);
	return !pt_jf_load(b + f->off, f->size, false);
}

void pt_jf_write(struct pt_json *j, const struct pt_jf *t, const void *base,
		 const struct pt_jf_ctx *c)
{
	const struct pt_jf *f;

	for (f = t; f->kind != PT_JF_END; f++) {
		const char *b = pt_jf_base(f, base, c);

		if ((f->flags & PT_JF_RONLY) || pt_jf_absent(f, b))
			continue;
		if (f->write)
			f->write(j, f, b, c);
		else
			pt_jf_write_one(j, f, b, c);
	}
}

static void pt_jf_read_arr(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			   char *b, const struct pt_jf_ctx *c)
{
	const struct pt_jv *a = pt_rd_arr(rd, o, f->key, f->max_nr);
	char *m = b + f->off;
	size_t i;

	if (!a)
		return;
	if (f->aux_size)
		pt_jf_store(b + f->aux, f->aux_size, 0);
	if (!f->aux_size && a->nr != f->max_nr) {
		snprintf(rd->why, sizeof(rd->why), "%s needs %zu %s", f->what, f->max_nr, f->key);
		return;
	}
	for (i = 0; i < a->nr && !rd->why[0]; i++) {
		const struct pt_jv *k = &a->kids[i];
		char *e = m + i * f->elem;

		if (f->aux_size)
			pt_jf_store(b + f->aux, f->aux_size, i + 1);
		switch (f->kind) {
		case PT_JF_STRS:
			if (k->t != PT_J_STR) {
				snprintf(rd->why, sizeof(rd->why), "%s is not a string", f->what);
				break;
			}
			snprintf(e, f->size, "%s", k->str);
			break;
		case PT_JF_HEXS:
			if (k->t != PT_J_STR && k->t != PT_J_NUM) {
				snprintf(rd->why, sizeof(rd->why), "%s is not a number", f->what);
				break;
			}
			pt_jf_store(e, 8, pt_rd_num(k, rd, f->key));
			break;
		default:
			memset(e, 0, f->elem);
			pt_jf_read(rd, k, f->sub, e, c);
			if (!rd->why[0] && f->whole && !f->whole(e))
				snprintf(rd->why, sizeof(rd->why), "%s %zu is incomplete",
					 f->what, i);
		}
	}
	if (rd->why[0] && f->kind == PT_JF_HEXS)
		pt_jf_store(b + f->aux, f->aux_size, 0);
}

static void pt_jf_read_one(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			   char *b, const struct pt_jf_ctx *c)
{
	const struct pt_jv *v;
	char *m = b + f->off;
	const char *s;
	char name[16];
	bool has;

	switch (f->kind) {
	case PT_JF_U64:
		if (f->min || f->max)
			pt_jf_store(m, f->size, (uint64_t)pt_rd_i64(rd, o, f->key, f->min, f->max));
		else
			pt_jf_store(m, f->size, pt_rd_u64(rd, o, f->key));
		break;
	case PT_JF_I64:
		pt_jf_store(m, f->size, (uint64_t)pt_rd_i64(rd, o, f->key, f->min, f->max));
		break;
	case PT_JF_HEX:
		pt_jf_store(m, f->size, pt_rd_u64(rd, o, f->key));
		break;
	case PT_JF_HEX_NULL:
		v = pt_rd_get(rd, o, f->key, PT_J_STR, true);
		has = v != NULL;
		memcpy(b + f->aux, &has, sizeof(has));
		pt_jf_store(m, f->size, pt_rd_num(v, rd, f->key));
		break;
	case PT_JF_BOOL:
		has = pt_rd_bool(rd, o, f->key);
		memcpy(m, &has, sizeof(has));
		break;
	case PT_JF_STR:
		pt_rd_str(rd, o, f->key, m, f->size);
		break;
	case PT_JF_STR_NULL:
		v = pt_rd_get(rd, o, f->key, PT_J_STR, true);
		snprintf(m, f->size, "%s", v ? v->str : "");
		break;
	case PT_JF_PTR:
		s = pt_rd_kept(rd, o, f->key);
		memcpy(m, &s, sizeof(s));
		break;
	case PT_JF_ISTR:
	case PT_JF_ISTR_NULL:
		v = pt_rd_get(rd, o, f->key, PT_J_STR, f->kind == PT_JF_ISTR_NULL);
		s = "";
		if (v && v->t == PT_J_STR) {
			s = rd->intern(rd, v->str, strnlen(v->str, (size_t)f->max));
			if (!s && !rd->why[0])
				snprintf(rd->why, sizeof(rd->why), "out of memory");
			if (!s)
				s = "";
		}
		memcpy(m, &s, sizeof(s));
		break;
	case PT_JF_SOURCE:
		/* the static names: nothing kept */
		pt_rd_str(rd, o, f->key, name, sizeof(name));
		s = !strcmp(name, "kmod") ? "kmod" : "pagemap";
		memcpy(m, &s, sizeof(s));
		break;
	case PT_JF_ENUM:
		pt_jf_store(m, f->size, (uint64_t)pt_rd_name(rd, o, f->key, f->name, f->nr_names));
		break;
	case PT_JF_OBJ:
	case PT_JF_OBJ_NULL:
		v = pt_rd_get(rd, o, f->key, PT_J_OBJ, f->kind == PT_JF_OBJ_NULL);
		if (f->kind == PT_JF_OBJ_NULL) {
			has = v != NULL;
			memcpy(b + f->aux, &has, sizeof(has));
		}
		if (v)
			pt_jf_read(rd, v, f->sub, m, c);
		break;
	case PT_JF_ALSO:
		pt_jf_read(rd, o, f->sub, m, c);
		break;
	case PT_JF_ARR:
	case PT_JF_STRS:
	case PT_JF_HEXS:
		pt_jf_read_arr(rd, o, f, b, c);
		break;
	case PT_JF_HOOK:
	case PT_JF_END:
		break;
	}
}

void pt_jf_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *t,
		void *base, const struct pt_jf_ctx *c)
{
	const struct pt_jf *f;

	for (f = t; f->kind != PT_JF_END && !rd->why[0]; f++) {
		char *b = (char *)pt_jf_base(f, base, c);

		if (f->flags & PT_JF_WONLY)
			continue;
		if ((f->flags & (PT_JF_OPT | PT_JF_OLD)) && !pt_jv_has(o, f->key))
			continue;
		if (f->read)
			f->read(rd, o, f, b, c);
		else
			pt_jf_read_one(rd, o, f, b, c);
	}
}

/* ---- the model's tables ---- */

static const char *pt_state_name_i(int i)
{
	return pt_state_name((enum pt_state)i);
}

static const char *pt_ksm_seen_name_i(int i)
{
	static const char *const names[PT_KSM_NR] = {
		"unread", "unreadable", "never-ran", "has-run",
	};

	return i >= 0 && i < PT_KSM_NR ? names[i] : NULL;
}

static const char *pt_vma_kind_name_i(int i)
{
	return pt_vma_kind_name((enum pt_vma_kind)i);
}

static const struct pt_jf pt_jf_pm_flag_rows[] = {
	PT_JF_BOOL(struct pt_pagemap, "present", present),
	PT_JF_BOOL(struct pt_pagemap, "swapped", swapped),
	PT_JF_BOOL(struct pt_pagemap, "file_shared", file_shared),
	PT_JF_BOOL(struct pt_pagemap, "exclusive", exclusive),
	PT_JF_BOOL(struct pt_pagemap, "soft_dirty", soft_dirty),
	PT_JF_BOOL(struct pt_pagemap, "uffd_wp", uffd_wp),
	PT_JF_BOOL(struct pt_pagemap, "guard", guard),
	PT_JF_END_ROW
};

void pt_json_pm_flags(struct pt_json *j, const struct pt_pagemap *pm)
{
	pt_jf_write(j, pt_jf_pm_flag_rows, pm, NULL);
}

static const struct pt_jf pt_jf_pagemap_rows[] = {
	PT_JF_BOOL(struct pt_pagemap, "valid", valid),
	PT_JF_HEX(struct pt_pagemap, "word", word),
	PT_JF_ALSO(pt_jf_pm_flag_rows),
	PT_JF_HEX(struct pt_pagemap, "pfn", pfn),
	PT_JF_BOOL(struct pt_pagemap, "pfn_hidden", pfn_hidden),
	PT_JF_U64(struct pt_pagemap, "swp_type", swp_type, 0, 31),
	PT_JF_HEX(struct pt_pagemap, "swp_offset", swp_offset),
	PT_JF_HEX_NULL(struct pt_pagemap, "kpageflags", kpageflags, has_kpageflags),
	PT_JF_HEX_NULL(struct pt_pagemap, "kpagecount", kpagecount, has_kpagecount),
	PT_JF_I64(struct pt_pagemap, "scan_huge", scan_huge, -1, 1),
	/* written where read (a page that says KSM); older files lack it */
	{ .key = "ksm", .kind = PT_JF_ENUM, PT_JF_M_(struct pt_pagemap, ksm), .sign = 1,
	  .name = pt_ksm_seen_name_i, .nr_names = PT_KSM_NR, .flags = PT_JF_OPT | PT_JF_OLD },
	PT_JF_END_ROW
};

static const struct pt_jf pt_jf_vma_rows[] = {
	PT_JF_HEX(struct pt_vma, "start", start),
	PT_JF_HEX(struct pt_vma, "end", end),
	PT_JF_STR(struct pt_vma, "perms", perms),
	PT_JF_HEX(struct pt_vma, "pgoff", pgoff),
	PT_JF_U64(struct pt_vma, "dev_major", dev_major, 0, UINT_MAX),
	PT_JF_U64(struct pt_vma, "dev_minor", dev_minor, 0, UINT_MAX),
	PT_JF_U64(struct pt_vma, "inode", inode, 0, 0),
	/* as the PATH_MAX buffer it was once read into cut it */
	PT_JF_ISTR(struct pt_vma, "path", path, PATH_MAX - 1),
	PT_JF_BOOL(struct pt_vma, "has_flags", has_flags),
	{ .key = "flags", .kind = PT_JF_STRS, .off = offsetof(struct pt_vma, flags),
	  .size = sizeof(((struct pt_vma *)0)->flags[0]),
	  .elem = sizeof(((struct pt_vma *)0)->flags[0]), .max_nr = PT_MAX_VMFLAGS,
	  PT_JF_NR_(struct pt_vma, nr_flags), .what = "a VmFlag" },
	PT_JF_U64(struct pt_vma, "kernel_page_size", kernel_page_size, 0, 0),
	PT_JF_ENUM(struct pt_vma, "kind", kind, pt_vma_kind_name_i, PT_VMA_NR_KINDS),
	PT_JF_END_ROW
};

static const struct pt_jf pt_jf_entry_rows[] = {
	PT_JF_ENUM(struct pt_entry, "state", state, pt_state_name_i, PT_STATE_NR),
	PT_JF_HEX_NULL(struct pt_entry, "raw", raw, has_raw),
	PT_JF_BOOL(struct pt_entry, "derived", derived),
	PT_JF_HEX(struct pt_entry, "va", va),
	PT_JF_BOOL(struct pt_entry, "user_copy", user_copy),
	PT_JF_END_ROW
};

/* the /proc source's pages around the address */
static const struct pt_jf pt_jf_strip_rows[] = {
	PT_JF_HEX(struct pt_strip, "first", first),
	{ .key = "words", .kind = PT_JF_HEXS, .off = offsetof(struct pt_strip, word),
	  .elem = sizeof(uint64_t), .max_nr = PT_STRIP_PAGES,
	  PT_JF_NR_(struct pt_strip, nr), .what = "a strip word" },
	PT_JF_END_ROW
};

const struct pt_jf pt_jf_walk[] = {
	PT_JF_I64(struct pt_walk, "pid", pid, 0, INT_MAX),
	PT_JF_HEX(struct pt_walk, "addr", addr),
	PT_JF_SOURCE(struct pt_walk, "source", source),
	PT_JF_STR(struct pt_walk, "release", release),
	PT_JF_OBJ(struct pt_walk, "vma", vma, pt_jf_vma_rows),
	{ .key = "levels", .kind = PT_JF_ARR, .off = offsetof(struct pt_walk, level),
	  .elem = sizeof(struct pt_entry), .max_nr = PT_NR_LEVELS, .sub = pt_jf_entry_rows,
	  .what = "a walk" },
	PT_JF_OBJ(struct pt_walk, "pagemap", pm, pt_jf_pagemap_rows),
	/* older recordings lack it; written when the strip holds pages */
	{ .key = "strip", .kind = PT_JF_OBJ, PT_JF_M_(struct pt_walk, strip),
	  .sub = pt_jf_strip_rows, .flags = PT_JF_OPT,
	  PT_JF_NR_(struct pt_walk, strip.nr) },
	PT_JF_END_ROW
};

/* ---- a decoder layout: the rows, values and swap types in force ---- */

static void pt_jf_arch_write(struct pt_json *j, const struct pt_jf *f, const void *base,
			     const struct pt_jf_ctx *c)
{
	const struct pt_layout *ly = base;

	(void)f;
	(void)c;
	pt_json_str(j, "arch", ly->arch->name);
	pt_json_u64(j, "kver", ly->kver);
	pt_json_bool(j, "la57", ly->la57);
}

/* The architecture's table at the recorded version, then what the file says. */
static void pt_jf_arch_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			    void *base, const struct pt_jf_ctx *c)
{
	struct pt_layout *ly = base;
	const struct pt_arch *arch;
	char name[32];

	(void)f;
	(void)c;
	pt_rd_str(rd, o, "arch", name, sizeof(name));
	if (rd->why[0])
		return;
	arch = pt_arch_find(name);
	if (!arch) {
		snprintf(rd->why, sizeof(rd->why),
			 "recorded on %.40s, which this ptinspect cannot decode", name);
		return;
	}
	pt_layout_init(ly, arch, (unsigned int)pt_rd_i64(rd, o, "kver", 0, UINT_MAX));
	pt_layout_set_la57(ly, pt_rd_bool(rd, o, "la57"));
}

static const struct pt_jf pt_jf_swp_rows[] = {
	PT_JF_U64(struct pt_swp_types, "max_swapfiles", max_swapfiles, 0, 1 << 20),
	PT_JF_I64(struct pt_swp_types, "hwpoison", hwpoison, -1, 31),
	PT_JF_I64(struct pt_swp_types, "migration_read", migration_read, -1, 31),
	PT_JF_I64(struct pt_swp_types, "device_first", device_first, -1, 31),
	PT_JF_I64(struct pt_swp_types, "marker", marker, -1, 31),
	PT_JF_I64(struct pt_swp_types, "swapin_error", swapin_error, -1, 31),
	PT_JF_END_ROW
};

static const struct pt_jf pt_jf_bit_rows[] = {
	PT_JF_PTR(struct pt_bit, "name", name),
	PT_JF_PTR(struct pt_bit, "abbr", abbr),
	PT_JF_PTR(struct pt_bit, "desc", desc),
	PT_JF_HEX(struct pt_bit, "mask", mask),
	PT_JF_U64(struct pt_bit, "levels", levels, 0, PT_L_ALL),
	PT_JF_U64(struct pt_bit, "shapes", shapes, 0, PT_SHAPE_ANY),
	PT_JF_U64(struct pt_bit, "since", since, 0, UINT_MAX),
	PT_JF_U64(struct pt_bit, "until", until, 0, UINT_MAX),
	PT_JF_U64(struct pt_bit, "flags", flags, 0, UINT_MAX),
	PT_JF_END_ROW
};

static bool pt_jf_bit_whole(const void *e)
{
	const struct pt_bit *b = e;

	return b->name && b->abbr && b->desc && b->mask;
}

static const struct pt_jf pt_jf_value_rows[] = {
	PT_JF_PTR(struct pt_value, "field", field),
	PT_JF_U64(struct pt_value, "value", value, 0, 0),
	PT_JF_PTR(struct pt_value, "name", name),
	PT_JF_PTR(struct pt_value, "abbr", abbr),
	PT_JF_PTR(struct pt_value, "desc", desc),
	PT_JF_END_ROW
};

/*
 * The fields' value names in force when recorded (the module's MT_*
 * included); a value names its field by the row's name, which the
 * layout's own row holds.
 */
static void pt_jf_values_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
			      void *base, const struct pt_jf_ctx *c)
{
	struct pt_layout *ly = base;
	size_t i;

	pt_jf_read_one(rd, o, f, base, c);
	for (i = 0; i < ly->nr_values && !rd->why[0]; i++) {
		struct pt_value *v = &ly->values[i];
		const struct pt_bit *b = v->field ? pt_layout_row(ly, v->field) : NULL;

		v->field = b ? b->name : NULL;
		if (!v->field || !v->name || !v->abbr || !v->desc)
			snprintf(rd->why, sizeof(rd->why), "layout value %zu is incomplete", i);
	}
}

static const struct pt_jf pt_jf_vmflag_rows[] = {
	PT_JF_STR(struct pt_vmflag, "name", name),
	PT_JF_HEX(struct pt_vmflag, "mask", mask),
	PT_JF_END_ROW
};

const struct pt_jf pt_jf_layout[] = {
	{ .key = "arch", .kind = PT_JF_HOOK, .write = pt_jf_arch_write,
	  .read = pt_jf_arch_read },
	PT_JF_BOOL(struct pt_layout, "pti", pti),
	PT_JF_OBJ(struct pt_layout, "swp", swp, pt_jf_swp_rows),
	{ .key = "rows", .kind = PT_JF_ARR, .off = offsetof(struct pt_layout, rows),
	  .elem = sizeof(struct pt_bit), .max_nr = PT_MAX_ROWS, .sub = pt_jf_bit_rows,
	  PT_JF_NR_(struct pt_layout, nr_rows), .what = "layout row",
	  .whole = pt_jf_bit_whole },
	/* a recording from before them keeps this ptinspect's table */
	{ .key = "values", .kind = PT_JF_ARR, .off = offsetof(struct pt_layout, values),
	  .elem = sizeof(struct pt_value), .max_nr = PT_MAX_VALUES, .sub = pt_jf_value_rows,
	  PT_JF_NR_(struct pt_layout, nr_values), .flags = PT_JF_OLD,
	  .read = pt_jf_values_read },
	PT_JF_STR(struct pt_layout, "kmod_diff", kmod_diff),
	PT_JF_ARR(struct pt_layout, "vmflags", vmflags, pt_jf_vmflag_rows, nr_vmflags),
	PT_JF_END_ROW
};
