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
#include <stdint.h>

#include "status.h"
#include "subject.h"

#define PT_CMD_EVENT 1u		/* changes the subjects: a new step */
#define PT_CMD_VIEW 2u		/* changes what is shown */

/* id, name, arguments, help, flags */
#define PT_CMD_TABLE(X)                                                                        \
	X(WRITE, "write", "parent|child [OFFSET]", "write a byte at the address (+OFFSET)", PT_CMD_EVENT) \
	X(READ, "read", "parent|child [OFFSET]", "read a byte at the address (+OFFSET)", PT_CMD_EVENT) \
	X(FORK, "fork", "", "the parent forks the child", PT_CMD_EVENT)                       \
	X(EXIT, "exit", "child", "the child exits", PT_CMD_EVENT)                             \
	X(MADVISE, "madvise", "dontneed|collapse|pageout|hugepage|mergeable [parent|child]",          \
	  "madvise() the region", PT_CMD_EVENT)                                                \
	X(MPROTECT, "mprotect", "ro|rw [parent|child]", "mprotect() the region", PT_CMD_EVENT) \
	X(CLEAR_SOFT_DIRTY, "clear-soft-dirty", "[parent|child]",                              \
	  "clear soft-dirty bits (clear_refs)", PT_CMD_EVENT)                                  \
	X(PIN, "pin", "[parent|child]",                                                         \
	  "pin the page long-term, as for DMA (an io_uring fixed buffer)", PT_CMD_EVENT)       \
	X(UNPIN, "unpin", "[parent|child]", "release the pin", PT_CMD_EVENT)                   \
	X(GUARD, "guard", "[parent|child]",                                                     \
	  "make the page a guard region (MADV_GUARD_INSTALL, 6.13 on)", PT_CMD_EVENT)          \
	X(UNGUARD, "unguard", "[parent|child]",                                                 \
	  "remove the page's guard region (MADV_GUARD_REMOVE)", PT_CMD_EVENT)                  \
	X(WAIT, "wait", "MS", "sleep, then look again", PT_CMD_EVENT)                          \
	X(ADDR, "addr", "ADDR|+OFFSET", "inspect another address", PT_CMD_EVENT)               \
	X(KIND, "kind", "KIND", "start again with another kind of mapping", PT_CMD_EVENT)      \
	X(NEXT_POPULATED, "next-populated", "",                                                 \
	  "inspect the next populated page of the address's mapping", PT_CMD_EVENT)           \
	X(PREV_POPULATED, "prev-populated", "",                                                 \
	  "inspect the previous populated page of the address's mapping", PT_CMD_EVENT)       \
	X(MAPS, "maps", "[N|close|sort KEY]",                                                   \
	  "list the process's mappings (N: select the Nth; close: close the list; sort: by start, size, populated, shared or copied)", \
	  PT_CMD_VIEW)                                                                         \
	X(DUMP, "dump", "", "print the shown step as text", PT_CMD_VIEW)                       \
	X(JSON, "json", "", "print the shown step as JSON", PT_CMD_VIEW)                       \
	X(STEP, "step", "[N|last]", "show step N, the last one, or the next one", PT_CMD_VIEW)                    \
	X(BACK, "back", "", "show the previous step", PT_CMD_VIEW)                             \
	X(CHILD, "child", "PID|next", "show another child of the process (--pid)", PT_CMD_VIEW) \
	X(SCREEN, "screen", "[COLSxROWS] [stable]",                                             \
	  "the TUI's screen as text (110x42), '^' under highlighted cells; stable: no pids, addresses, pfns, counts", \
	  PT_CMD_VIEW)                                                                         \
	X(HELP, "help", "", "list the commands", PT_CMD_VIEW)                                  \
	X(QUIT, "quit", "", "leave", PT_CMD_VIEW)

enum pt_cmd_id {
#define PT_CMD_ENUM(id, name, args, help, flags) PT_C_##id,
	PT_CMD_TABLE(PT_CMD_ENUM)
#undef PT_CMD_ENUM
	PT_C_NR
};

/* step last */
#define PT_STEP_LAST 0L

struct pt_cmd {
	enum pt_cmd_id id;
	enum pt_who who;
	char arg[64];		/* advice, ro|rw, kind, address, screen size, maps sort key */
	uint64_t off;		/* write/read offset */
	long num;		/* wait MS, step N (-1: none, PT_STEP_LAST), screen: 1 stable,
			 * maps N (0: close) */
	char text[128];		/* the line as typed, for the timeline */
};

int pt_cmd_parse(const char *line, struct pt_cmd *c, struct pt_err *err);
const char *pt_cmd_name(enum pt_cmd_id id);
const char *pt_cmd_args(enum pt_cmd_id id);
const char *pt_cmd_help(enum pt_cmd_id id);
unsigned int pt_cmd_flags(enum pt_cmd_id id);

/*
 * Calls @fn for each command of a script: commands are separated by ';'
 * or newlines, '#' starts a comment.  Stops at the first non-zero return.
 */
int pt_cmd_foreach(const char *script, int (*fn)(const char *line, void *arg),
		   void *arg);

/* The next command of @*script into @line, advancing; false at the end. */
bool pt_cmd_next(const char **script, char *line, size_t len);

/* Words that may follow @prefix_words (for completion): NULL-terminated. */
const char *const *pt_cmd_words(const char *line_so_far);

#endif
