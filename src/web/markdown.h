/*
 * markdown.h — markdown written by people (ticket descriptions, comments,
 * KB articles) turned into HTML a page may emit with {{{ }}}.
 *
 * cmark renders in safe mode: raw HTML is dropped (replaced by a comment)
 * and links or images to javascript:, vbscript:, file: and data: (other
 * than images) become empty, so the result carries no script whatever the
 * input.
 */
#ifndef CSDESK_MARKDOWN_H
#define CSDESK_MARKDOWN_H

struct arena;

/*
 * The HTML for md (NULL is ""), in the arena. Returns NULL when out of
 * memory.
 */
const char *md_html(struct arena *a, const char *md);

#endif
