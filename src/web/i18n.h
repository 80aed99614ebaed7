/*
 * i18n.h — the interface strings by language: a catalogue per language,
 * templates/locale/<code>.strings ("key = text" lines, "#" comments),
 * read once at start-up. Pages get the person's catalogue as "l", so a
 * template says {{l.settings_title}} where it would have said the words;
 * the text is escaped like any other value. A sentence with a value in it
 * is one text with the value's name in braces, "{count} tickets at risk",
 * read with {{%l.key}}: the engine fills {count} from the context where
 * the tag is (tmpl.h), so a translator orders the whole sentence.
 * English (en) is the reference: another catalogue must have every key
 * English has, each with the same {placeholders}, or start-up stops (half
 * a language is not offered); tests/unit/check_i18n.c checks that every
 * key a template uses is in English, scripts/check-i18n.py that the
 * console's and portal's templates have no words outside the catalogue.
 */
#ifndef CSDESK_I18N_H
#define CSDESK_I18N_H

#include <stddef.h>

struct tval;

/* At most this many catalogues; each at most this many keys. */
#define I18N_LANGS_MAX 8
#define I18N_KEYS_MAX 4096

/*
 * Reads every *.strings of dir. 0, or -1 with the reason in err (no
 * en.strings, a line without " = ", a catalogue lacking a key of
 * English or one of its {placeholders} or naming one English has not,
 * too many keys or catalogues, out of memory). Call once before serving;
 * what it reads lives to the end.
 */
int i18n_load(const char *dir, char *err, size_t errlen);

/* The codes loaded ("en" first), NULL-terminated. Cannot fail. */
const char *const *i18n_languages(void);

/* The catalogue of code (English when code has none, or NULL before loading). */
struct tval *i18n_catalogue(const char *code);

/* key's text in code's catalogue (English's for an unknown code); NULL when it has no such key. */
const char *i18n_text(const char *code, const char *key);

#endif
