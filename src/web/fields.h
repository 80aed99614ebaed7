/*
 * fields.h — the form validator every handler shares (portal, console,
 * API): checking a posted form against a table of rules, handing the entered values and the
 * messages to the template, and small page pieces (select options,
 * checkbox groups, ids from the path, keyset paging).
 *
 * A page declares its fields once, as an array of struct field_rule, and
 * fields_check() reads them all from a form — or fields_check_json() from
 * a JSON object (the API's bodies): the handler sees trimmed, checked
 * values and never raw input. The template gets the entered values as f.<field> and
 * the messages as e.<field>, so a form that fails comes back with what
 * was typed and a message next to each field at fault.
 *
 * Everything lives in the request's arena.
 */
#ifndef CSDESK_WEB_FIELDS_H
#define CSDESK_WEB_FIELDS_H

#include <stddef.h>

#include "core/utf8.h"
#include "web/app.h"

struct arena;
struct audit_entry;
struct json_t;
struct tval;

enum field_kind {
	FIELD_TEXT,	/* one line, min..max characters after trimming */
	FIELD_EMAIL,	/* an address the outbox accepts, lower-cased */
	FIELD_INT,		/* a whole number in min..max */
	FIELD_CHOICE,	/* one of choices */
	FIELD_PASSWORD,	/* taken as typed (not trimmed) and never shown again */
	FIELD_LINES,	/* several lines (a message, an article's text), taken as typed,
			 * min..max characters */
	FIELD_LOGIN,	/* an e-mail address typed to sign in: trimmed, lower-cased,
			 * at most max characters and not checked further, so an
			 * odd one costs what an unknown one does */
};

struct field_rule {
	const char *name;		/* the form field */
	const char *label;		/* for messages: "Name" */
	enum field_kind kind;
	int required;			/* empty is an error (else empty is "", number 0) */
	/* FIELD_TEXT, FIELD_LINES, FIELD_LOGIN (max only): characters; FIELD_INT: the value */
	long long min, max;
	const char *const *choices;	/* FIELD_CHOICE: NULL-terminated */
};

struct field_form {
	struct arena *a;
	struct tval *values;	/* f.<field>: what was entered */
	struct tval *errors;	/* e.<field>: what is wrong with it */
	int nerrors;
	int failed;		/* out of memory on the way: answer 500 */
};

/* Starts an empty form. Returns 0, or -1 when out of memory. */
int fields_init(struct field_form *f, struct arena *a);

/*
 * Reads the n fields of rules from r's body, checks each and records its
 * value and any message in f. vals[i] is the checked value of rules[i]
 * ("" when empty or wrong; never NULL), nums[i] its number (FIELD_INT; may be
 * NULL when no rule is a number). Returns how many fields failed.
 */
int fields_check(struct field_form *f, const struct req *r, const struct field_rule *rules, size_t n,
    const char **vals, long long *nums);

/*
 * The same for the members of the JSON object o (a rule's name is a
 * member; absent or null is empty). FIELD_INT takes a JSON integer, the
 * other kinds a string; the messages use the rule's label as it is (an
 * API names the member: "\"subject\"") and a FIELD_CHOICE's lists its
 * choices, as an API has no form to show them. The values are copies in
 * f's arena: they outlive o. Returns how many members failed.
 */
int fields_check_json(struct field_form *f, const struct json_t *o,
    const struct field_rule *rules, size_t n, const char **vals, long long *nums);

/*
 * The first message recorded, for a page that shows one line of error
 * rather than a message per field; NULL when there is none.
 */
const char *fields_first_error(const struct field_form *f);

/* Shows value as the entered value of field (pre-filling a form). */
void fields_value(struct field_form *f, const char *field, const char *value);

/* Records a message for field (the first one recorded stays). */
void fields_error(struct field_form *f, const char *field, const char *message);

/*
 * Puts f, e and has_errors into the page context. Returns 0, or -1 when
 * something ran out of memory on the way (answer 500).
 */
int fields_ctx(struct field_form *f, struct tval *ctx);

/*
 * The values of every field called name (a checkbox group), in the order
 * sent, at most max of them into out. Returns how many.
 */
size_t fields_all(const struct req *r, const char *name, const char **out, size_t max);

/* Non-zero when value is among the n values in list. */
int fields_in(const char *value, const char *const *list, size_t n);

/*
 * A list for a checkbox group or a <select>: one map {value, label,
 * selected} per entry of values[0..n) (labels NULL: the values themselves),
 * selected where checked[i] is set (checked NULL: none). NULL when out of
 * memory.
 */
struct tval *fields_options(struct arena *a, const char *const *values, const char *const *labels,
    size_t n, const unsigned char *checked);

/* The same for a <select> whose current value is current (may be NULL). */
struct tval *fields_select(struct arena *a, const char *const *values, const char *const *labels,
    size_t n, const char *current);

/* Trims ASCII blanks from both ends of s (a copy in a, or NULL). */
char *fields_trim(struct arena *a, const char *s);

/* s as an id (1 ..), or 0 when it is not one (s may be NULL). */
long long web_id(const char *s);

/* The path parameter name as an id (1 ..), or 0 when it is not one. */
long long web_path_id(const struct req *r, const char *name);

/*
 * The query parameter name as a keyset position (0 when absent).
 * Returns 0, or -1 when it is present and not a whole number >= 0.
 */
int web_query_key(const struct req *r, const char *name, long long *out);

/* Who is acting, for the audit record: the signed-in staff member and address. */
void web_audit_actor(const struct req *r, struct audit_entry *by);

/*
 * Queues a success flash for the page after the redirect. Names put in it
 * should go through utf8_short() (FLASH_NAME characters): the flash cookie
 * is small.
 */
#define FLASH_NAME 80
void web_flash(struct app *app, struct req *r, struct resp *w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The status a domain error maps to: 503 when the database went away, else 500. */
int web_db_error(struct app *app);

#endif
