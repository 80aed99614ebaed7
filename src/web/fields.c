/* fields.c — see fields.h. */
#include "web/fields.h"
#include "core/utf8.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/form.h"
#include "domain/audit.h"
#include "domain/notify.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <stdarg.h>
#include <string.h>

int
fields_init(struct field_form *f, struct arena *a)
{
	memset(f, 0, sizeof(*f));
	f->a = a;
	f->values = tval_map(a);
	f->errors = tval_map(a);
	return f->values && f->errors ? 0 : -1;
}

void
fields_value(struct field_form *f, const char *field, const char *value)
{
	if (tval_set_str(f->a, f->values, field, value ? value : "") < 0)
		f->failed = 1;
}

void
fields_error(struct field_form *f, const char *field, const char *message)
{
	if (tval_get(f->errors, field) != NULL)
		return;
	if (tval_set_str(f->a, f->errors, field, message) < 0)
		f->failed = 1;
	f->nerrors++;
}

const char *
fields_first_error(const struct field_form *f)
{
	const struct tval *v;

	if (f->errors == NULL || f->errors->u.map.n == 0)
		return NULL;
	v = f->errors->u.map.pairs[0].val;
	return v != NULL && v->type == TVAL_STR ? v->u.str.s : NULL;
}

int
fields_ctx(struct field_form *f, struct tval *ctx)
{
	int rc = f->failed ? -1 : 0;

	rc |= tval_set(f->a, ctx, "f", f->values);
	rc |= tval_set(f->a, ctx, "e", f->errors);
	rc |= tval_set_bool(f->a, ctx, "has_errors", f->nerrors > 0);
	return rc ? -1 : 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *
fields_trim(struct arena *a, const char *s)
{
	size_t start = 0, end = strlen(s);

	while (start < end && is_blank(s[start]))
		start++;
	while (end > start && is_blank(s[end - 1]))
		end--;
	return arena_strndup(a, s + start, end - start);
}

int
fields_in(const char *value, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(value, list[i]) == 0)
			return 1;
	return 0;
}

static size_t
count_choices(const char *const *choices)
{
	size_t n = 0;

	while (choices != NULL && choices[n] != NULL)
		n++;
	return n;
}

/* "a, b, c": the choices, for a message. */
static const char *
choice_words(struct arena *a, const char *const *choices)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	for (i = 0; choices != NULL && choices[i] != NULL; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", choices[i]);
	return buf_failed(&b) ? "" : b.buf;
}

/*
 * Checks one non-empty value. Returns NULL, or the message (listed: a
 * FIELD_CHOICE's message names the choices).
 */
static const char *
check_one(struct field_form *f, const struct field_rule *rule, char *v, long long *num,
    int listed)
{
	size_t i;

	switch (rule->kind) {
	case FIELD_TEXT:
	case FIELD_PASSWORD:
		/* Lines only: the parser already refused other control characters. */
		if (strpbrk(v, "\r\n\t") != NULL)
			return arena_printf(f->a, "%s must be on one line.", rule->label);
		/* fall through */
	case FIELD_LINES:
		if (rule->min > 0 && utf8_chars(v) < (size_t)rule->min)
			return arena_printf(f->a, "%s must be at least %lld characters long.",
			    rule->label, rule->min);
		if (rule->max > 0 && utf8_chars(v) > (size_t)rule->max)
			return arena_printf(f->a, "%s must be at most %lld characters long.",
			    rule->label, rule->max);
		return NULL;
	case FIELD_EMAIL:
	case FIELD_LOGIN:
		for (i = 0; v[i]; i++)
			if (v[i] >= 'A' && v[i] <= 'Z')
				v[i] = (char)(v[i] - 'A' + 'a');
		if (rule->kind == FIELD_LOGIN)
			return rule->max > 0 && utf8_chars(v) > (size_t)rule->max ?
			    arena_printf(f->a, "%s is too long.", rule->label) : NULL;
		if (!notify_address_ok(v))
			return arena_printf(f->a, "%s must be an e-mail address like "
			    "name@example.com.", rule->label);
		return NULL;
	case FIELD_INT:
		if (config_parse_long(v, rule->min, rule->max, num) < 0)
			return arena_printf(f->a, "%s must be a whole number from %lld to %lld.",
			    rule->label, rule->min, rule->max);
		return NULL;
	case FIELD_CHOICE:
		if (fields_in(v, rule->choices, count_choices(rule->choices)))
			return NULL;
		if (listed)
			return arena_printf(f->a, "%s must be one of %s.", rule->label,
			    choice_words(f->a, rule->choices));
		return arena_printf(f->a, "Choose one of the listed values for %s.", rule->label);
	}
	return "Not accepted.";
}

/*
 * Records and checks raw (NULL: absent) as the value of rule: *val the
 * checked value ("" when empty or wrong), *num its number.
 */
static void
check_raw(struct field_form *f, const struct field_rule *rule, const char *raw, int listed,
    const char **val, long long *num)
{
	const char *msg;
	char *v;

	*val = "";
	*num = 0;
	if (raw == NULL)
		raw = "";
	v = rule->kind == FIELD_PASSWORD || rule->kind == FIELD_LINES ?
	    arena_strdup(f->a, raw) : fields_trim(f->a, raw);
	if (v == NULL) {
		f->failed = 1;
		return;
	}
	/* What was typed goes back into the form; a password never does. */
	if (rule->kind != FIELD_PASSWORD)
		fields_value(f, rule->name, v);
	if (*v == '\0') {
		if (rule->required)
			fields_error(f, rule->name, arena_printf(f->a, "%s is required.",
			    rule->label));
		return;
	}
	if ((msg = check_one(f, rule, v, num, listed)) != NULL) {
		*num = 0;
		fields_error(f, rule->name, msg);
		return;
	}
	*val = v;
}

int
fields_check(struct field_form *f, const struct req *r, const struct field_rule *rules, size_t n,
    const char **vals, long long *nums)
{
	int before = f->nerrors;
	long long num;
	size_t i;

	for (i = 0; i < n; i++) {
		check_raw(f, &rules[i], req_field(r, rules[i].name), 0, &vals[i], &num);
		if (nums != NULL)
			nums[i] = num;
	}
	return f->nerrors - before;
}

int
fields_check_json(struct field_form *f, const json_t *o, const struct field_rule *rules,
    size_t n, const char **vals, long long *nums)
{
	int before = f->nerrors;
	long long num;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct field_rule *rule = &rules[i];
		json_t *v = json_object_get(o, rule->name);
		const char *raw = NULL;
		int is_int = rule->kind == FIELD_INT;

		vals[i] = "";
		if (nums != NULL)
			nums[i] = 0;
		if (v != NULL && !json_is_null(v) && (is_int ? !json_is_integer(v) :
		    !json_is_string(v))) {
			fields_error(f, rule->name, arena_printf(f->a, "%s must be %s.", rule->label,
			    is_int ? "a whole number" : "a string"));
			continue;
		}
		if (v != NULL && !json_is_null(v) && is_int)
			raw = arena_printf(f->a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (v != NULL)
			raw = json_string_value(v);
		/*
		 * The form parser refuses control characters before a form gets
		 * here; JSON lets them through, raw (a DEL) or escaped (an ESC).
		 */
		if (raw != NULL && !is_int && !form_text_valid(raw, strlen(raw), 1)) {
			fields_error(f, rule->name, arena_printf(f->a, "%s must not hold control "
			    "characters.", rule->label));
			continue;
		}
		check_raw(f, rule, raw, 1, &vals[i], &num);
		if (nums != NULL)
			nums[i] = num;
	}
	return f->nerrors - before;
}

size_t
fields_all(const struct req *r, const char *name, const char **out, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < r->body.nfields && k < max; i++)
		if (strcmp(r->body.fields[i].name, name) == 0)
			out[k++] = r->body.fields[i].value;
	return k;
}

struct tval *
fields_options(struct arena *a, const char *const *values, const char *const *labels, size_t n,
    const unsigned char *checked)
{
	struct tval *list = tval_list(a);
	size_t i;
	int rc = list ? 0 : -1;

	for (i = 0; i < n && rc == 0; i++) {
		struct tval *o = tval_map(a);

		rc |= tval_set_str(a, o, "value", values[i]);
		rc |= tval_set_str(a, o, "label", labels ? labels[i] : values[i]);
		rc |= tval_set_bool(a, o, "selected", checked != NULL && checked[i]);
		rc |= tval_push(a, list, o);
	}
	return rc ? NULL : list;
}

struct tval *
fields_select(struct arena *a, const char *const *values, const char *const *labels, size_t n,
    const char *current)
{
	unsigned char *checked = arena_calloc(a, n + 1, 1);
	size_t i;

	if (checked == NULL)
		return NULL;
	for (i = 0; current != NULL && i < n; i++)
		checked[i] = strcmp(values[i], current) == 0;
	return fields_options(a, values, labels, n, checked);
}

long long
web_id(const char *s)
{
	long long id;

	if (s == NULL || config_parse_long(s, 1, (1LL << 62), &id) < 0)
		return 0;
	return id;
}

long long
web_path_id(const struct req *r, const char *name)
{
	return web_id(req_param(r, name));
}

int
web_query_key(const struct req *r, const char *name, long long *out)
{
	const char *v = req_query(r, name);

	*out = 0;
	if (v == NULL || *v == '\0')
		return 0;
	return config_parse_long(v, 0, (1LL << 62), out);
}

void
web_audit_actor(const struct req *r, struct audit_entry *by)
{
	memset(by, 0, sizeof(*by));
	by->actor_kind = AUDIT_ACTOR_STAFF;
	by->actor_id = r->who.id;
	by->ip = r->remote_addr;
}

int
web_db_error(struct app *app)
{
	return db_lost(&app->db) ? 503 : 500;
}

void
web_flash(struct app *app, struct req *r, struct resp *w, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	app_flash(app, r, w, 0, text ? text : "Saved.");
}
