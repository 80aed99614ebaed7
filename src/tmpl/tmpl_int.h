/*
 * tmpl_int.h — what the files of the mustache engine share; not for callers.
 *
 * A compiled template is a flat array of nodes. A node that holds others
 * (section, inverted section, parent, block) is followed by its children,
 * and its `end` is the index just past the last of them, so the renderer
 * walks ranges of one array and skips a subtree in one step.
 *
 * Every pointer in a node points into the template's source or into the
 * set's arena; a compiled set owns no other memory.
 */
#ifndef CSDESK_TMPL_INT_H
#define CSDESK_TMPL_INT_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct tmpl;

enum tnode_type {
	TN_TEXT,	/* s[0..len) as is */
	TN_VAR,		/* {{name}}: escaped */
	TN_RAW,		/* {{{name}}} and {{&name}} */
	TN_FORMAT,	/* {{%name}}: a string whose {names} are filled, escaped */
	TN_SECTION,	/* {{#name}}children{{/name}} */
	TN_INVERTED,	/* {{^name}}children{{/name}} */
	TN_PARTIAL,	/* {{>name}} */
	TN_PARENT,	/* {{<name}}: children are the overriding blocks */
	TN_BLOCK,	/* {{$name}}: children are the content */
};

/*
 * The first thing on a template line: the indentation goes before it. A
 * text node can hold several lines; the ones after its first are found by
 * their '\n' when rendering (an empty line gets no indentation).
 */
#define TN_BOL		0x01
/* A partial or parent alone on its line: its lines are indented by ind. */
#define TN_STANDALONE	0x02
/* A block whose tags own their line: its content starts a fresh line. */
#define TN_SITE_BOL	0x04
/* A partial or parent named by a context value ({{>*name}}). */
#define TN_DYNAMIC	0x08
/* A block whose content starts on the line after its open tag. */
#define TN_CONTENT_BOL	0x10

/* One part of a dotted name, with its tval_key_hash: a page looks names up
 * thousands of times, through several maps each, and hashes none of them.
 * 16 bytes: a template file is at most 16 MB (tmpl_dir.c), so a length fits
 * in 32 bits. */
struct tseg {
	const char *s;
	uint32_t len;
	unsigned int hash;
};

/*
 * 40 bytes: every worker holds the compiled trees of its program's pages,
 * some 16,000 nodes for the console, so each field is as small as it can be
 * (lengths in 32 bits as in tseg; a static partial or parent never has a
 * looked-up name, a dynamic one never a resolved target, so they share).
 */
struct tnode {
	uint8_t type;		/* enum tnode_type */
	uint8_t flags;		/* TN_* */
	uint16_t nseg;		/* parts of a dotted name; 0 for "." */
	uint32_t end;		/* one past the last child */
	uint32_t len;		/* of s */
	uint32_t indlen;	/* of ind */
	const char *s;		/* text, or a partial, parent or block name */
	const char *ind;	/* indentation this node adds (see TN_STANDALONE) */
	union {
		const struct tseg *seg;	/* the looked-up name, split at dots */
		const struct tmpl *target;	/* a static partial or parent (not
						 * TN_DYNAMIC), NULL if missing */
	} u;
};
_Static_assert(sizeof(struct tnode) <= 40, "a compiled node stays at 40 bytes");

struct tmpl {
	char *name;
	size_t namelen;
	char *src;		/* NUL-terminated copy of the source */
	size_t len;
	struct tnode *nodes;	/* in the set's arena once compiled */
	uint32_t n;
};

struct tmpl_set {
	struct tmpl **v;	/* sorted by name for binary search */
	size_t n, cap;
	struct arena *arena;	/* compiled nodes; NULL until compiled */
	unsigned long max_steps;
};

/* The template called name[0..len), or NULL. */
const struct tmpl *tmpl_find(const struct tmpl_set *set, const char *name, size_t len);

/*
 * Compiles t into nodes in set->arena, resolving static partial and parent
 * names against set. Returns 0, or -1 with "name:line: reason" in err.
 */
int tmpl_compile_one(struct tmpl_set *set, struct tmpl *t, int strict, char *err,
    size_t errlen);

#endif
