/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab's command language (the lines, not the program's subcommands,
 * which are in subcmd.h): the TUI's keys and ':' prompt, `ptinspect
 * shell`, --script and --batch all parse lines with pt_cmd_parse() and run
 * them through the interpreter (interp.h), so an interactive session
 * replays as a script.  The table below generates the parser's names, the
 * help text, the completions and the man page list: a new command is one
 * row here and one case in pt_interp_run().
 */
#ifndef PT_LANG_H
#define PT_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>

#include "status.h"
#include "subject.h"

#define PT_CMD_EVENT 1u		/* changes the subjects: a new step */
#define PT_CMD_VIEW 2u		/* changes what is shown */
/* what the lab does around an event's subject line (pt_lab_event()) */
#define PT_CMD_AT_OFFSET 4u	/* the address + OFFSET lies in the region; another
				 * page than the watched one is looked up first */
#define PT_CMD_NEW_CHILD 8u	/* the answer "ok PID" is the child */
#define PT_CMD_END_CHILD 16u	/* the child is gone once answered */
#define PT_CMD_PINS 32u		/* the page is pinned once answered */
#define PT_CMD_UNPINS 64u	/* and no longer */

/*
 * What a command's argument is.  The parser reads each word once into the
 * typed field of struct pt_cmd its kind names; completion offers the
 * values of the kinds that come from a table; help prints the metavariable
 * or the values.
 */
enum pt_arg_kind {
	PT_ARG_WHO,		/* parent|child (or p|c) -> who */
	PT_ARG_CHILD,		/* child alone -> who */
	PT_ARG_OFFSET,		/* a size, [+]N bytes -> off */
	PT_ARG_ADVICE,		/* a row of PT_LAB_ADVICES -> advice */
	PT_ARG_PROT,		/* ro|rw -> prot */
	PT_ARG_KIND,		/* a row of PT_LAB_KINDS -> kind */
	PT_ARG_ADDR,		/* an address expression (addr.h) or +OFFSET -> addr, rel */
	PT_ARG_COUNT,		/* a number in [min, max] -> the long at .field */
	PT_ARG_WORD,		/* the word .name itself -> the bool at .field */
	PT_ARG_SORT,		/* "sort KEY", KEY a vmalist sort key -> sort */
	PT_ARG_SIZE,		/* COLSxROWS, a terminal's size -> cols, rows */
};

struct pt_arg {
	enum pt_arg_kind kind;
	const char *name;	/* the metavariable, or the word (PT_ARG_WORD) */
	bool optional;
	long min, max;		/* PT_ARG_COUNT */
	size_t field;		/* PT_ARG_COUNT, PT_ARG_WORD: offsetof(struct pt_cmd, ...) */
};

/* How a row's arguments combine. */
enum pt_args_form {
	PT_ARGS_SEQ,		/* in the row's order */
	PT_ARGS_ANY,		/* in any order, each at most once */
	PT_ARGS_ONE,		/* one of them (none if every one is optional) */
};

#define PT_A(k, opt) { .kind = PT_ARG_##k, .optional = opt }
#define PT_A_COUNT(meta, lo, hi, f, opt) \
	{ .kind = PT_ARG_COUNT, .name = meta, .min = lo, .max = hi, \
	  .field = offsetof(struct pt_cmd, f), .optional = opt }
#define PT_A_WORD(word, f, opt) \
	{ .kind = PT_ARG_WORD, .name = word, .field = offsetof(struct pt_cmd, f), .optional = opt }

/*
 * id, name, flags, how the arguments combine, help, the line the lab sends
 * its subject for an event (NULL: none), the arguments...
 *
 * The line is a template of words; a word %NAME is a value of the lab or
 * of the command (pt_lab_line(), lab.h): %w "c" when the child acts (the
 * word is left out for the parent), %addr the watched address + OFFSET,
 * %page its 4K page, %base and %size the region, %advice and %prot the
 * command's.  subject.c answers the lines.
 */
#define PT_CMD_TABLE(X)                                                                         \
	X(WRITE, "write", PT_CMD_EVENT | PT_CMD_AT_OFFSET, SEQ,                                 \
	  "write a byte at the address (+OFFSET)", "%w write %addr",                            \
	  PT_A(WHO, false), PT_A(OFFSET, true))                                                 \
	X(READ, "read", PT_CMD_EVENT | PT_CMD_AT_OFFSET, SEQ,                                   \
	  "read a byte at the address (+OFFSET)", "%w read %addr",                              \
	  PT_A(WHO, false), PT_A(OFFSET, true))                                                 \
	X(FORK, "fork", PT_CMD_EVENT | PT_CMD_NEW_CHILD, SEQ, "the parent forks the child",     \
	  "fork")                                                                               \
	X(EXIT, "exit", PT_CMD_EVENT | PT_CMD_END_CHILD, SEQ, "the child exits", "%w exit",     \
	  PT_A(CHILD, false))                                                                   \
	X(MADVISE, "madvise", PT_CMD_EVENT, SEQ, "madvise() the region",                        \
	  "%w madvise %advice %base %size", PT_A(ADVICE, false), PT_A(WHO, true))               \
	X(MPROTECT, "mprotect", PT_CMD_EVENT, SEQ, "mprotect() the region",                     \
	  "%w mprotect %prot", PT_A(PROT, false), PT_A(WHO, true))                              \
	X(CLEAR_SOFT_DIRTY, "clear-soft-dirty", PT_CMD_EVENT, SEQ,                              \
	  "clear soft-dirty bits (clear_refs)", NULL, PT_A(WHO, true))                          \
	X(PIN, "pin", PT_CMD_EVENT | PT_CMD_PINS, SEQ,                                          \
	  "pin the page long-term, as for DMA (an io_uring fixed buffer)", "%w pin %addr",      \
	  PT_A(WHO, true))                                                                      \
	X(UNPIN, "unpin", PT_CMD_EVENT | PT_CMD_UNPINS, SEQ, "release the pin", "%w unpin",     \
	  PT_A(WHO, true))                                                                      \
	X(GUARD, "guard", PT_CMD_EVENT, SEQ,                                                    \
	  "make the page a guard region (MADV_GUARD_INSTALL, 6.13 on)",                         \
	  "%w madvise guard-install %page 1000", PT_A(WHO, true))                               \
	X(UNGUARD, "unguard", PT_CMD_EVENT, SEQ,                                                \
	  "remove the page's guard region (MADV_GUARD_REMOVE)",                                 \
	  "%w madvise guard-remove %page 1000", PT_A(WHO, true))                                \
	X(MREMAP, "mremap", PT_CMD_EVENT, SEQ,                                                  \
	  "move the region to a fresh address and back (mremap MREMAP_FIXED, twice)",           \
	  "%w mremap %base %size", PT_A(WHO, true))                                             \
	X(WAIT, "wait", PT_CMD_EVENT, SEQ, "sleep, then look again", NULL,                      \
	  PT_A_COUNT("MS", 0, 600000, ms, false))                                               \
	X(ADDR, "addr", PT_CMD_EVENT, SEQ, "inspect another address", NULL,                     \
	  PT_A(ADDR, false))                                                                    \
	X(KIND, "kind", PT_CMD_EVENT, SEQ, "start again with another kind of mapping", NULL,    \
	  PT_A(KIND, false))                                                                    \
	X(NEXT_POPULATED, "next-populated", PT_CMD_EVENT, SEQ,                                  \
	  "inspect the next populated page of the address's mapping", NULL)                     \
	X(PREV_POPULATED, "prev-populated", PT_CMD_EVENT, SEQ,                                  \
	  "inspect the previous populated page of the address's mapping", NULL)                 \
	X(MAPS, "maps", PT_CMD_VIEW, ONE,                                                       \
	  "list the process's mappings (N: select the Nth; close: close the list; sort: by start, size, populated, shared or copied)", \
	  NULL, PT_A_COUNT("N", 1, 1000000, n, true), PT_A_WORD("close", close, true),          \
	  PT_A(SORT, true))                                                                     \
	X(DUMP, "dump", PT_CMD_VIEW, SEQ, "print the shown step as text", NULL)                 \
	X(JSON, "json", PT_CMD_VIEW, SEQ, "print the shown step as JSON", NULL)                 \
	X(STEP, "step", PT_CMD_VIEW, ONE, "show step N, the last one, or the next one", NULL,   \
	  PT_A_COUNT("N", 1, 1000000, n, true), PT_A_WORD("last", last, true))                  \
	X(BACK, "back", PT_CMD_VIEW, SEQ, "show the previous step", NULL)                       \
	X(CHILD, "child", PT_CMD_VIEW, ONE, "show another child of the process (--pid)", NULL,  \
	  PT_A_COUNT("PID", 1, INT_MAX, n, false), PT_A_WORD("next", next, false))              \
	X(SCREEN, "screen", PT_CMD_VIEW, ANY,                                                   \
	  "the TUI's screen as text (110x42), '^' under highlighted cells; stable: no pids, addresses, pfns, counts", \
	  NULL, PT_A(SIZE, true), PT_A_WORD("stable", stable, true))                            \
	X(HELP, "help", PT_CMD_VIEW, SEQ, "list the commands", NULL)                            \
	X(QUIT, "quit", PT_CMD_VIEW, SEQ, "leave", NULL)

enum pt_cmd_id {
#define PT_CMD_ENUM(id, name, flags, form, help, line, ...) PT_C_##id,
	PT_CMD_TABLE(PT_CMD_ENUM)
#undef PT_CMD_ENUM
	PT_C_NR
};

enum pt_prot { PT_PROT_RO, PT_PROT_RW };

/*
 * A line parsed once: each argument in the field its kind names, so no
 * one reads the words again.  A field an argument did not set is 0
 * (sort: -1, who: PT_WHO_DEFAULT).
 */
struct pt_cmd {
	enum pt_cmd_id id;
	enum pt_who who;		/* parent|child */
	uint64_t off;			/* write/read +OFFSET */
	enum pt_lab_advice advice;	/* madvise */
	enum pt_prot prot;		/* mprotect */
	enum pt_lab_kind kind;		/* kind */
	bool rel;			/* addr +OFFSET: base_off from the region's start */
	uint64_t base_off;
	char addr[64];			/* addr: an expression, resolved against the
					 * process's mappings when it runs */
	long ms;			/* wait */
	long n;				/* step N, maps N, child PID; 0: none */
	bool last;			/* step last */
	bool close;			/* maps close */
	bool next;			/* child next */
	int sort;			/* maps sort KEY: an enum pt_vmalist_sort */
	int cols, rows;			/* screen COLSxROWS; 0: the default */
	bool stable;			/* screen stable */
	/* the argument as typed, kept for recordings (record.c's "arg") and
	 * explain.c's mprotect and dontneed tests until they read prot and
	 * advice; no one parses it again */
	char arg[64];
	char text[128];		/* the line as typed, for the timeline */
};

int pt_cmd_parse(const char *line, struct pt_cmd *c, struct pt_err *err);
const char *pt_cmd_name(enum pt_cmd_id id);
/* The arguments as help shows them ("parent|child [OFFSET]"), from the row. */
const char *pt_cmd_args(enum pt_cmd_id id);
const char *pt_cmd_help(enum pt_cmd_id id);
/* The template of the line an event sends the subject, or NULL. */
const char *pt_cmd_line(enum pt_cmd_id id);
unsigned int pt_cmd_flags(enum pt_cmd_id id);

/*
 * Calls @fn for each command of a script: commands are separated by ';'
 * or newlines, '#' starts a comment.  Stops at the first non-zero return.
 */
int pt_cmd_foreach(const char *script, int (*fn)(const char *line, void *arg),
		   void *arg);

/* The next command of @*script into @line, advancing; false at the end. */
bool pt_cmd_next(const char **script, char *line, size_t len);

/*
 * The words that may come next after @line_so_far (its last word, when not
 * followed by a blank, is being typed and not counted): the command names,
 * or the values of the arguments the row lets come next.  NULL-terminated,
 * in a static array that the next call overwrites.
 */
const char *const *pt_cmd_words(const char *line_so_far);

/*
 * A recording's command (name, who, the argument as typed and the number
 * it kept: wait's MS, -1 otherwise) back into its typed fields.
 */
int pt_cmd_retype(struct pt_cmd *c, long num, struct pt_err *err);
/* The number a recording keeps for @c (wait: MS, else -1). */
long pt_cmd_num(const struct pt_cmd *c);

#endif
