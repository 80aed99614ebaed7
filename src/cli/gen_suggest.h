/*
 * gen_suggest.h — the knowledge-base suggestions of generated tickets
 * (`csdesk gen --suggestions`, and at the end of every `csdesk gen`), as
 * the "kb" event consumer would have stored them had each ticket been
 * opened through the use case.
 */
#ifndef CSDESK_CLI_GEN_SUGGEST_H
#define CSDESK_CLI_GEN_SUGGEST_H

struct db;

/*
 * Stores the suggested articles of every ticket that has none: one search
 * per distinct subject (generated subjects repeat), then one set-based
 * INSERT. Prints timing on stdout. Returns 0 or -1 (said on stderr).
 */
int gen_kb_suggestions(struct db *db);

#endif
