/*
 * tmpl_lex.h — the mustache lexer: source text to a token list.
 *
 * Text is cut at line ends, so that every line is a run of tokens ended by
 * a TK_NL token (or the end of the source), and each tag knows its place
 * among the line's non-blank tokens. That is all the compiler needs to
 * decide which tags stand alone on their lines.
 *
 * The lexer applies set-delimiter tags as it goes; everything it records
 * points into the source. The fields after `dyn` are the compiler's.
 */
#ifndef CSDESK_TMPL_LEX_H
#define CSDESK_TMPL_LEX_H

#include <stddef.h>
#include <stdint.h>

enum tok_kind {
	TK_TEXT,	/* never contains a line end */
	TK_NL,		/* "\n" or "\r\n" */
	TK_TAG,
};

struct tok {
	const char *start, *end;	/* the raw token in the source */
	const char *s;		/* the text, or the tag's trimmed name */
	size_t len;
	uint32_t line;		/* 1-based source line where it starts */
	uint32_t li;		/* index of its line in lexed.lines */
	uint32_t ord;		/* place among the line's non-blank tokens */
	uint8_t kind;		/* enum tok_kind */
	char sigil;		/* tags: 0 for {{name}}, else & { # ^ / ! = > < $ */
	uint8_t blank;		/* text of spaces and tabs only */
	uint8_t dyn;		/* > or < followed by *: a dynamic name */

	/* Filled in by the compiler. */
	uint8_t invis;		/* inside a parent, outside its blocks: ignored */
	uint8_t drop;		/* blank text or line end of a standalone line */
	uint8_t role;		/* for $ and <: see tmpl_compile.c */
	uint8_t alone;		/* the tag stands alone: no indentation before it */
	uint8_t site_bol;	/* block whose content starts a fresh line */
	uint32_t match;		/* open tag <-> close tag */
	const char *cs;		/* indentation stripped from lines around it */
	size_t cslen;
	const char *bs;		/* open block tags: stripped inside the block */
	size_t bslen;
	const char *ind;	/* indentation the tag adds */
	size_t indlen;
};

struct tline {
	uint32_t first;		/* its first token */
	uint32_t nl;		/* its TK_NL token, or the token count at the end */
	uint32_t nonblank;	/* tags and text other than spaces and tabs */
};

struct lexed {
	struct tok *t;
	uint32_t n, cap;
	struct tline *lines;
	uint32_t nlines, linescap;
};

/*
 * Cuts src[0..len) into tokens in *lx (which must be zeroed). Returns 0, or
 * -1 with "name:line: reason" in err: an unclosed tag, an empty or badly
 * formed name, a bad set-delimiter tag, or no memory. Either way free lx
 * with tmpl_lex_release.
 */
int tmpl_lex(const char *name, const char *src, size_t len, struct lexed *lx, char *err,
    size_t errlen);

/* Frees the token and line arrays; lx can be reused after. */
void tmpl_lex_release(struct lexed *lx);

#endif
