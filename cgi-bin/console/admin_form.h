/*
 * admin_form.h — what the console's admin pages share: checking a posted
 * form against a table of rules, handing the entered values and the
 * messages to the template, and small page pieces (select options,
 * checkbox groups, ids from the path, keyset paging).
 *
 * A page declares its fields once, as an array of struct af_rule, and
 * af_check() reads them all: the handler sees trimmed, checked values and
 * never raw input. The template gets the entered values as f.<field> and
 * the messages as e.<field>, so a form that fails comes back with what
 * was typed and a message next to each field at fault.
 *
 * Everything lives in the request's arena.
 */
#ifndef CSDESK_CONSOLE_ADMIN_FORM_H
#define CSDESK_CONSOLE_ADMIN_FORM_H

#include <stddef.h>

#include "web/app.h"

struct arena;
struct audit_entry;
struct tval;

enum af_kind {
	AF_TEXT,	/* one line, min..max characters after trimming */
	AF_EMAIL,	/* an address the outbox accepts, lower-cased */
	AF_INT,		/* a whole number in min..max */
	AF_CHOICE,	/* one of choices */
	AF_PASSWORD,	/* taken as typed (not trimmed) and never shown again */
};

struct af_rule {
	const char *name;		/* the form field */
	const char *label;		/* for messages: "Name" */
	enum af_kind kind;
	int required;			/* empty is an error (else empty is "", number 0) */
	long long min, max;		/* AF_TEXT: characters; AF_INT: the value */
	const char *const *choices;	/* AF_CHOICE: NULL-terminated */
};

struct af_form {
	struct arena *a;
	struct tval *values;	/* f.<field>: what was entered */
	struct tval *errors;	/* e.<field>: what is wrong with it */
	int nerrors;
	int failed;		/* out of memory on the way: answer 500 */
};

/* Starts an empty form. Returns 0, or -1 when out of memory. */
int af_init(struct af_form *f, struct arena *a);

/*
 * Reads the n fields of rules from r's body, checks each and records its
 * value and any message in f. vals[i] is the checked value of rules[i]
 * ("" when empty or wrong; never NULL), nums[i] its number (AF_INT; may be
 * NULL when no rule is a number). Returns how many fields failed.
 */
int af_check(struct af_form *f, const struct req *r, const struct af_rule *rules, size_t n,
    const char **vals, long long *nums);

/* Shows value as the entered value of field (pre-filling a form). */
void af_value(struct af_form *f, const char *field, const char *value);

/* Records a message for field (the first one recorded stays). */
void af_error(struct af_form *f, const char *field, const char *message);

/*
 * Puts f, e and has_errors into the page context. Returns 0, or -1 when
 * something ran out of memory on the way (answer 500).
 */
int af_ctx(struct af_form *f, struct tval *ctx);

/*
 * The values of every field called name (a checkbox group), in the order
 * sent, at most max of them into out. Returns how many.
 */
size_t af_all(const struct req *r, const char *name, const char **out, size_t max);

/* Non-zero when value is among the n values in list. */
int af_in(const char *value, const char *const *list, size_t n);

/*
 * A list for a checkbox group or a <select>: one map {value, label,
 * selected} per entry of values[0..n) (labels NULL: the values themselves),
 * selected where checked[i] is set (checked NULL: none). NULL when out of
 * memory.
 */
struct tval *af_options(struct arena *a, const char *const *values, const char *const *labels,
    size_t n, const unsigned char *checked);

/* The same for a <select> whose current value is current (may be NULL). */
struct tval *af_select(struct arena *a, const char *const *values, const char *const *labels,
    size_t n, const char *current);

/* Trims ASCII blanks from both ends of s (a copy in a, or NULL). */
char *af_trim(struct arena *a, const char *s);

/* Characters (UTF-8 code points) in s. */
size_t af_chars(const char *s);

/*
 * s cut to at most max characters (at a character boundary, "…" added when
 * cut), for messages that must stay short such as a flash. A copy in a, or
 * s itself when it is short enough (or memory ran out). Never NULL.
 */
const char *af_short(struct arena *a, const char *s, size_t max);

/* s as an id (1 ..), or 0 when it is not one (s may be NULL). */
long long admin_id(const char *s);

/* The path parameter name as an id (1 ..), or 0 when it is not one. */
long long admin_path_id(const struct req *r, const char *name);

/*
 * The query parameter name as a keyset position (0 when absent).
 * Returns 0, or -1 when it is present and not a whole number >= 0.
 */
int admin_query_key(const struct req *r, const char *name, long long *out);

/* Who is acting, for the audit record: the signed-in staff member and address. */
void admin_actor(const struct req *r, struct audit_entry *by);

/*
 * Queues a success flash for the page after the redirect. Names put in it
 * should go through af_short() (FLASH_NAME characters): the flash cookie
 * is small.
 */
#define FLASH_NAME 80
void admin_flash(struct app *app, struct req *r, struct resp *w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The status a domain error maps to: 503 when the database went away, else 500. */
int admin_db_error(struct app *app);

#endif
