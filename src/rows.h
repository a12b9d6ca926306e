/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rows language: the lab's expectations as data (the files under
 * src/rows/, compiled in, and --expect).  A row is
 *
 *   KINDS:EVENT:WHO:WHAT=VALUE [pre=ATOM,!ATOM...] [since=X.Y] [until=X.Y]
 *                              [commit=ID] [config=OPTION] [func=FUNCTION]
 *                              [src=FILE:LINE] [why=NAME]
 *
 * beside "why NAME text", "set NAME kinds" and "cpu young|dirty BIT"
 * lines; src/rows/x86_64.rows says what each part means.  This is the
 * reader and its checks only: it knows the decoder's bits (layout.h) and
 * the lab's kinds (subject.h), never a lab, a step or a view.  The build
 * runs the checks on every rows file (scripts/rows-check.c).
 *
 * Ownership: a struct pt_rows owns its rows and names; pt_rows_free().
 */
#ifndef PT_ROWS_H
#define PT_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "status.h"
#include "subject.h"

/* observed: the entry a row is about does not exist (an empty entry) */
#define PT_SEEN_NO_ENTRY (-2L)
/* row values relative to the step before */
#define PT_VAL_SAME (-100L)
#define PT_VAL_CHANGED (-101L)
/* the longest line of a rows text, so the longest why a row can name */
#define PT_ROWS_LINE_MAX 640

/*
 * What a row's precondition can name: the state of the watched entry
 * before the event, facts about its VMA and the lab, and where the event
 * fell.  Each is computed from the previous snapshot (pt_atoms()).
 */
#define PT_ATOMS(X)                                                             \
	X(GONE, "gone", "no such process")                                      \
	X(UNSEEN, "unseen", "not observable")                                   \
	X(EMPTY, "empty", "no entry")                                           \
	X(PRESENT, "present", "present")                                        \
	X(ZERO, "zero", "the (huge) zero page")                                 \
	X(RO, "ro", "read-only")                                                \
	X(RW, "rw", "writable")                                                 \
	X(PTE, "pte", "a pte")                                                  \
	X(HUGE, "huge", "a huge leaf")                                          \
	X(DIRTY, "dirty", "dirty (or SavedDirty)")                              \
	X(CONT, "cont", "one of a contiguous run (PTE_CONT)")                   \
	X(SOFTDIRTY, "soft-dirty", "soft-dirty")                                \
	X(SHARED, "shared", "the same page as the other process")               \
	X(EXCL, "excl", "mapped by this process alone")                         \
	X(FILE, "file", "a page-cache page")                                    \
	X(PINNED, "pinned", "pinned long-term")                                 \
	X(SDT, "sdt", "soft-dirty tracking on (VM_SOFTDIRTY clear)")            \
	X(WN, "wn", "in a write-notified shared VMA")                           \
	X(NH, "nh", "in a VM_NOHUGEPAGE VMA")                                   \
	X(VMARO, "vma-ro", "in a read-only VMA")                                \
	X(COWED, "cowed", "COWed away from a private pfnmap")                   \
	X(PEER, "peer", "the other process maps the page")                      \
	X(REPLACED, "replaced", "a page-cache pte the other process's MADV_COLLAPSE replaces") \
	X(TABLE, "table", "no entry under a pmd that is a page table")          \
	X(CHILD, "child", "a child exists")                                     \
	X(ACTOR, "actor", "the event's process")                                \
	X(FAILED, "failed", "the event failed")                                 \
	X(HIT, "hit", "the event hit the watched page")                         \
	X(INLEAF, "inleaf", "the event hit another page of the watched huge leaf") \
	X(WIN, "win", "the event fell in the same 64 KiB")                      \
	X(NEAR, "near", "the event fell in the same 2 MiB")                     \
	X(FAR, "far", "the event fell farther")                                 \
	X(MAPPED, "mapped", "the event's page was mapped already")                \
	X(GUARD, "guard", "a guard region (pagemap's PM_GUARD_REGION, 6.15 on)")

enum pt_atom {
#define PT_ATOM_ENUM(id, name, words) PT_A_##id,
	PT_ATOMS(PT_ATOM_ENUM)
#undef PT_ATOM_ENUM
	PT_A_NR
};
_Static_assert(PT_A_NR <= 64, "a row's preconditions are a 64-bit mask");

#define A(id) (1ull << PT_A_##id)
/* atoms that say the entry is there: none holds for gone, unseen, empty */
#define A_ENTRY (A(PRESENT) | A(ZERO) | A(RO) | A(RW) | A(PTE) | A(HUGE) | \
		 A(DIRTY) | A(CONT) | A(SOFTDIRTY) | A(SHARED) | A(FILE) | A(COWED))
#define A_TOUCH (A(HIT) | A(INLEAF) | A(WIN) | A(NEAR) | A(FAR))

/*
 * The events a row can name: these, and every other event command of
 * PT_CMD_TABLE (lang.h) by its own name, as PT_R_CMD + its id, so that
 * a new event needs a row in that table and its rows, nothing here.
 */
#define PT_REVENTS(X)                                    \
	X(MAP, "map") X(WRITE, "write") X(READ, "read")  \
	X(FORK, "fork") X(EXIT, "exit")                  \
	X(DONTNEED, "madvise-dontneed")                  \
	X(COLLAPSE, "madvise-collapse")                  \
	X(PAGEOUT, "madvise-pageout")                    \
	X(HUGEPAGE, "madvise-hugepage")                  \
	X(NOHUGEPAGE, "madvise-nohugepage")              \
	X(MPROT_RO, "mprotect-ro") X(MPROT_RW, "mprotect-rw") \
	X(CSD, "clear-soft-dirty") X(PIN, "pin") X(UNPIN, "unpin") \
	X(GUARD, "guard") X(UNGUARD, "unguard")          \
	X(WAIT, "wait") X(ADDR, "addr")                  \
	X(MADVISE, "madvise") X(MPROTECT, "mprotect") X(ANY, "any")

enum pt_revent {
#define PT_REV_ENUM(id, name) PT_R_##id,
	PT_REVENTS(PT_REV_ENUM)
#undef PT_REV_ENUM
	PT_R_NR
};
#define PT_R_CMD PT_R_NR

/* an atom's name in the rows ("rw") and in words ("writable") */
const char *pt_atom_name(int a);
const char *pt_atom_words(int a);
/* an event's name in the rows ("madvise-dontneed") */
const char *pt_revent_name(int ev);
/* a row about event @row applies to a step of event @ev */
bool pt_event_matches(int row, int ev);

struct pt_row {
	unsigned int since, until;	/* PT_KV; 0: open */
	unsigned int kinds;
	int event;			/* enum pt_revent */
	enum pt_who by;			/* the event's process; DEFAULT: any */
	uint64_t pre, pre_not;		/* atoms that must and must not hold */
	enum pt_who who;		/* DEFAULT: both (pfn_same, error) */
	char what[32];
	long value;
	char func[96];
	char source[160];	/* FILE:LINE at 6.12, then (VERSION:[FILE:]LINE)... */
	char commit[16];	/* the commit at since/until, when known */
	char config[32];	/* holds only where CONFIG_<this>=y; "": always */
	const char *why;
	int line;			/* in its rows file; 0: --expect */
	const char *file;		/* that file (interned); NULL: not named */
};

struct pt_named {
	char name[24];
	char *text;		/* a why's sentence, or a set's kinds */
	unsigned int kinds;
};

struct pt_rows {
	struct pt_row *rows;
	size_t nr, cap;
	struct pt_named *names;	/* whys and sets */
	size_t nr_names, cap_names;
	/*
	 * The bits the CPU changes by itself ("cpu young BIT", "cpu dirty
	 * BIT"): "unchanged" lets the first differ, "kept" both.  x86 sets
	 * Accessed and Dirty; arm64 sets AF and, through DBM, clears RDONLY.
	 */
	char cpu_young[24], cpu_dirty[24];
};


/*
 * The kernels whose code the rows were read from, oldest first
 * (pt_modelled[]); a row holds for [since, until).
 */
extern const unsigned int pt_modelled[];
#define PT_NR_MODELLED 4

void pt_kv_text(unsigned int kv, char *buf, size_t len);
void pt_kspan(unsigned int kver, size_t *lo, size_t *hi);
bool pt_row_holds(const struct pt_row *r, unsigned int kv);
bool pt_row_changed_between(const struct pt_row *r, size_t lo, size_t hi);
/* the line and the function's name a row cites for modelled version @want */
size_t pt_row_cite(const struct pt_row *r, size_t want, char *buf, size_t len);
void pt_row_func(const struct pt_row *r, size_t want, char *buf, size_t len);

/*
 * A rows text into *@t: the definitions of the whole text first, then its
 * rows in order.  "@file NAME" lines (the generator's, before each file it
 * concatenates) name the lines after them in messages
 * ("src/rows/x86_64.rows:12: ..."); without one, "rows line 12".  @arch's
 * bits are the ones a row may name (NULL: any).
 */
int pt_rows_parse(const char *text, const struct pt_arch *arch, struct pt_rows *t,
		  struct pt_err *err);
/* One row (--expect), naming the whys and sets of @names. */
int pt_row_parse(const char *line, struct pt_rows *names, const struct pt_arch *arch,
		 struct pt_row *r, struct pt_err *err);
int pt_row_append(struct pt_rows *t, const struct pt_row *r, struct pt_err *err);
const struct pt_named *pt_name_find(const struct pt_rows *t, const char *name);
void pt_rows_free(struct pt_rows *t);

/*
 * Checks a rows text: every bit exists in the decoder of @arch for the
 * row's kernel range, every event and precondition is known, no two rows
 * contradict each other.  Returns the number of rows, or -errno with @err
 * naming the first problem.
 */
int pt_rows_validate(const char *text, const char *arch, struct pt_err *err);
/*
 * How one row (in a rows text after its whys and sets, the first row) fares
 * on kernel @kver: 1 it holds there and *@cite names the line it cites
 * ("do_huge_zero_wp_pmd mm/huge_memory.c:1881 at 6.18": the function's
 * name and the line at the version cited); 0 not for this kernel; 2 "not
 * modelled for this version": its behaviour changed between the modelled
 * versions around @kver.  -errno on a bad text.
 */
int pt_rows_for_kernel(const char *text, const char *arch, unsigned int kver,
		       char *cite, size_t len, struct pt_err *err);

#endif
