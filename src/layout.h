/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decoder: what each bit of a page-table entry means, as tables.
 *
 * Every bit is one struct pt_bit row, valid for a set of levels, a set of
 * entry shapes (table, leaf, non-present) and a range of kernel versions.
 * An architecture (one file under src/arch/) is a struct pt_arch: its rows plus the few
 * functions that cannot be rows (what shape an entry has, where its PFN is,
 * what the kernel's own pte_write()/pte_dirty() helpers would answer).
 *
 * A struct pt_layout is an architecture fixed to one kernel: the rows that
 * hold for that version, possibly overridden by the running kernel's own
 * layout as the ptdump_helper module reports it.  Views print only from a
 * pt_layout, so text, JSON, the TUI and the man page cannot disagree.
 *
 * No I/O, no allocation beyond the caller's struct.
 */
#ifndef PT_LAYOUT_H
#define PT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pt_level { PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE, PT_NR_LEVELS };

#define PT_L(l) (1u << (l))
#define PT_L_ALL ((1u << PT_NR_LEVELS) - 1)
#define PT_L_UPPER (PT_L(PT_PGD) | PT_L(PT_P4D))
#define PT_L_HUGE (PT_L(PT_PUD) | PT_L(PT_PMD))

/* What an entry is; the JSON "state" strings come from pt_state_name(). */
enum pt_state {
	PT_STATE_ABSENT,	/* the source cannot see this level */
	PT_STATE_NONE,		/* pxx_none(): all zero */
	PT_STATE_TABLE,		/* points to the next level's table */
	PT_STATE_LEAF,		/* maps memory: pte, or huge pmd/pud */
	PT_STATE_PROT_NONE,	/* present to the kernel, not to the MMU */
	PT_STATE_INVALID,	/* huge leaf being split (pmdp_invalidate) */
	PT_STATE_SWAP,		/* swap entry */
	PT_STATE_MIGRATION,	/* migration entry */
	PT_STATE_HWPOISON,
	PT_STATE_MARKER,	/* pte marker (uffd-wp, guard, ...) */
	PT_STATE_DEVICE,	/* device private/exclusive entry */
	PT_STATE_SWAPIN_ERROR,
	PT_STATE_NR
};

/* The shapes a bit row applies to. */
#define PT_SHAPE_TABLE 1u
#define PT_SHAPE_LEAF 2u
#define PT_SHAPE_NONPRESENT 4u	/* swap-like entries */
#define PT_SHAPE_PROT_NONE 8u	/* present to the kernel only */
#define PT_SHAPE_PRESENT (PT_SHAPE_LEAF | PT_SHAPE_PROT_NONE)
#define PT_SHAPE_ANY 15u

/* Kernel versions as comparable numbers. */
#define PT_KV(a, b) ((unsigned int)(a) << 16 | (unsigned int)(b) << 8)

#define PT_BIT_SW 1u	  /* a software bit: the MMU ignores it */
#define PT_BIT_FIELD 2u	  /* several bits holding a number (pkey) */
#define PT_BIT_KMOD 4u	  /* added from the module's layout */

struct pt_bit {
	unsigned int levels;	/* PT_L() mask */
	unsigned int shapes;	/* PT_SHAPE_* mask */
	uint64_t mask;
	const char *name;	/* snake case: JSON key, command-line name */
	const char *abbr;	/* column title in the bit grid */
	const char *desc;	/* one line: the kernel's name and meaning */
	unsigned int since;	/* PT_KV of the first kernel, 0: always */
	unsigned int until;	/* PT_KV of the first kernel without it, 0: none */
	unsigned int flags;	/* PT_BIT_* */
};

/*
 * A name for one value of a PT_BIT_FIELD row: arm64's MAIR index is
 * MT_NORMAL, not 0 (as arch/arm64/mm/ptdump.c prints MEM/NORMAL).  A value
 * with no row is shown as its number.
 */
struct pt_value {
	const char *field;	/* the row's name */
	uint64_t value;
	const char *name;	/* text and JSON: the kernel's name */
	const char *abbr;	/* the grid's cell */
	const char *desc;	/* one line: what the value means */
};

/* Special swap types: they depend on the kernel's configuration. */
struct pt_swp_types {
	unsigned int max_swapfiles;
	int hwpoison;		/* -1 when not configured */
	int migration_read;	/* then read-exclusive, write */
	int device_first;	/* -1, or first of 4 device types */
	int marker;
	int swapin_error;
};

/* The helpers' answers (pte_write(), pte_dirty(), pte_young()...). */
struct pt_summary {
	bool present;		/* pte_present(): to the kernel */
	bool write;
	bool dirty;
	bool young;
	bool huge;
	bool special;
	bool soft_dirty;
	bool uffd_wp;
	bool exclusive;		/* swap entries: remembered PG_anon_exclusive */
};

struct pt_layout;

struct pt_arch {
	const char *name;	/* uname -m */
	const struct pt_bit *bits;
	size_t nr_bits;
	const struct pt_value *values;
	size_t nr_values;
	/* after the level count changed: rows that depend on it (or NULL) */
	void (*adjust)(struct pt_layout *ly);
	/* which levels exist: folded p4d on 4-level x86, and on arm64 */
	unsigned int (*levels)(const struct pt_layout *ly);
	unsigned int (*shift)(const struct pt_layout *ly, enum pt_level l);
	enum pt_state (*state)(const struct pt_layout *ly, enum pt_level l,
			       uint64_t raw);
	/* PFN bits for a present or table entry; 0 for swap-like ones */
	uint64_t (*pfn_mask)(const struct pt_layout *ly, enum pt_level l,
			     enum pt_state st);
	uint64_t (*pfn)(const struct pt_layout *ly, enum pt_level l,
			enum pt_state st, uint64_t raw);
	void (*swp)(const struct pt_layout *ly, uint64_t raw,
		    unsigned int *type, uint64_t *offset);
	/* the bits the swap encoding uses for type and offset */
	uint64_t (*swp_mask)(const struct pt_layout *ly);
	void (*summary)(const struct pt_layout *ly, enum pt_level l,
			enum pt_state st, uint64_t raw, struct pt_summary *s);
};

#define PT_MAX_ROWS 96
#define PT_MAX_VALUES 24

/* One architecture at one kernel version (and the module's word on it). */
struct pt_layout {
	const struct pt_arch *arch;
	unsigned int kver;
	bool la57;		/* 5 levels: x86 LA57, arm64 4K granule LPA2 */
	bool pti;		/* x86: page-table isolation, per the module */
	struct pt_swp_types swp;
	struct pt_bit rows[PT_MAX_ROWS];
	size_t nr_rows;
	/* the fields' value names; the module's "mt" lines override */
	struct pt_value values[PT_MAX_VALUES];
	size_t nr_values;
	char kmod_values[8][24];
	size_t nr_kmod_values;
	/* from the module's layout file, when it differed from the table */
	char kmod_diff[512];
	/* names of rows only the module knows (rows[].name points here) */
	char kmod_names[16][32];
	size_t nr_kmod_names;
	/* vm_flags bits under smaps' names, from the module's layout */
	struct pt_vmflag {
		char name[3];
		uint64_t mask;
	} vmflags[48];
	size_t nr_vmflags;
};

extern const struct pt_arch pt_arch_x86_64;
extern const struct pt_arch pt_arch_arm64;

const struct pt_arch *pt_arch_find(const char *name);
const struct pt_arch *const *pt_arch_all(size_t *nr);

/* "6.12.117+deb12-cloud-amd64" -> PT_KV(6, 12); 0 when unreadable. */
unsigned int pt_kver_parse(const char *release);

void pt_layout_init(struct pt_layout *ly, const struct pt_arch *arch,
		    unsigned int kver);
/* Overrides or adds one named row, as the module reports it. */
int pt_layout_set_bit(struct pt_layout *ly, const char *name,
		      unsigned int levels, uint64_t mask);
unsigned int pt_layout_levels(const struct pt_layout *ly);
/* 4 or 5 levels (la57); the architecture adjusts the rows to it. */
void pt_layout_set_la57(struct pt_layout *ly, bool la57);
/* Names value @value of field @field, as the module reports it. */
int pt_layout_set_value(struct pt_layout *ly, const char *field,
			uint64_t value, const char *name);
/* The name of value @v of row @r, or NULL. */
const struct pt_value *pt_layout_value(const struct pt_layout *ly,
				       const struct pt_bit *r, uint64_t v);

/* What a swap-like entry of this swap type is (swap, migration...). */
enum pt_state pt_swp_state(const struct pt_layout *ly, unsigned int type);

const char *pt_level_name(enum pt_level l);
int pt_level_parse(const char *s, enum pt_level *l);
const char *pt_state_name(enum pt_state st);
unsigned int pt_state_shape(enum pt_state st);

/* A whole decoded entry, ready for any view. */
struct pt_decoded {
	enum pt_state state;
	uint64_t pfn;
	bool has_pfn;
	uint64_t size;		/* bytes a leaf maps */
	unsigned int swp_type;
	uint64_t swp_offset;
	struct pt_summary sum;
	uint64_t unknown;	/* set bits no active row explains */
};

void pt_decode(const struct pt_layout *ly, enum pt_level l, uint64_t raw,
	       struct pt_decoded *d);

/* Row @r applies to an entry of level @l and state @st. */
bool pt_row_applies(const struct pt_bit *r, enum pt_level l, enum pt_state st);
/* The value of row @r in @raw: 0/1, or the field's number. */
uint64_t pt_row_value(const struct pt_bit *r, uint64_t raw);
const struct pt_bit *pt_layout_row(const struct pt_layout *ly,
				   const char *name);
/*
 * Whether a view names row @r in @raw: a set bit, a non-zero field, or a
 * field value that has a name (MT_NORMAL is 0).
 */
bool pt_row_shown(const struct pt_layout *ly, const struct pt_bit *r,
		  uint64_t raw);
/* A field's value as text: its name (@abbr: the grid's), else the number. */
const char *pt_field_text(const struct pt_layout *ly, const struct pt_bit *r,
			  uint64_t raw, bool abbr, char *buf, size_t len);

#endif
