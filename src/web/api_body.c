/* api_body.c — see api_body.h. */
#include "web/api_body.h"
#include "core/arena.h"
#include "domain/ticket_rules.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The channels an integration may name (not portal or walk-in). */
static const char *const api_channels[] = { "chat", "social", "phone", "api", "email", NULL };
static const char *const visibilities[] = { "public", "internal", NULL };

#define API_ID(name) { name, "\"" name "\"", FIELD_INT, 0, 1, API_ID_MAX, NULL }

const struct field_rule api_create_rules[API_C__MAX] = {
	/* Either finds the customer, or makes a contact (contacts.h). */
	[API_C_EMAIL] = { "customer_email", "\"customer_email\"", FIELD_TEXT, 0, 0, API_EMAIL_MAX,
	    NULL },
	[API_C_SUBJECT] = { "subject", "\"subject\"", FIELD_LINES, 1, 0, 0, NULL },
	[API_C_DESCRIPTION] = { "description", "\"description\"", FIELD_LINES, 1, 0, 0, NULL },
	[API_C_CHANNEL] = { "channel", "\"channel\"", FIELD_CHOICE, 1, 0, 0, api_channels },
	[API_C_PRIORITY] = { "priority", "\"priority\"", FIELD_CHOICE, 0, 0, 0, ticket_priorities },
	[API_C_CATEGORY] = { "category", "\"category\"", FIELD_TEXT, 0, 0, 0, NULL },
	[API_C_PHONE] = { "customer_phone", "\"customer_phone\"", FIELD_TEXT, 0, 0, 40, NULL },
	[API_C_NAME] = { "customer_name", "\"customer_name\"", FIELD_TEXT, 0, 0, 200, NULL },
	[API_C_SITE] = API_ID("site_id"),
};
#define API_VERSION { "version", "\"version\"", FIELD_INT, 0, 1, INT_MAX, NULL }

/* Lengths and forms of serial and tags are the domain's (ticket_fields.h). */
const struct field_rule api_update_rules[API_U__MAX] = {
	[API_U_STATUS] = { "status", "\"status\"", FIELD_TEXT, 0, 0, API_WORD_MAX, NULL },
	[API_U_PRIORITY] = { "priority", "\"priority\"", FIELD_CHOICE, 0, 0, 0, ticket_priorities },
	[API_U_CODE] = { "resolution_code", "\"resolution_code\"", FIELD_TEXT, 0, 0, API_WORD_MAX,
	    NULL },
	[API_U_CAUSE] = { "root_cause", "\"root_cause\"", FIELD_LINES, 0, 0, 0, NULL },
	[API_U_TYPE] = { "type", "\"type\"", FIELD_TEXT, 0, 0, TICKET_TYPE_MAX, NULL },
	[API_U_CATEGORY] = API_ID("category_id"),
	[API_U_PRODUCT] = API_ID("product_id"),
	[API_U_SERIAL] = { "serial", "\"serial\"", FIELD_TEXT, 0, 0, 0, NULL },
	[API_U_TAGS] = { "tags", "\"tags\"", FIELD_TEXT, 0, 0, 0, NULL },
	[API_U_QUEUE] = API_ID("queue_id"),
	[API_U_TEAM] = API_ID("team_id"),
	[API_U_ASSIGNEE] = API_ID("assignee_id"),
	[API_U_SITE] = API_ID("site_id"),
	[API_U_VERSION] = API_VERSION,
};

const struct field_rule api_comment_rules[API_M__MAX] = {
	[API_M_BODY] = { "body", "\"body\"", FIELD_LINES, 1, 0, 0, NULL },
	[API_M_VISIBILITY] = { "visibility", "\"visibility\"", FIELD_CHOICE, 0, 0, 0, visibilities },
	[API_M_VERSION] = API_VERSION,
};

int
api_body_tags(json_t *o, const char *name, int *oom)
{
	json_t *v = json_object_get(o, name), *e;
	size_t i, len = 0;
	char *s;

	*oom = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return -1;
	json_array_foreach(v, i, e) {
		/* One tag each: a comma or a blank would split it, a NUL cut it short. */
		if (!json_is_string(e) || json_string_length(e) == 0 ||
		    strlen(json_string_value(e)) != json_string_length(e) ||
		    strpbrk(json_string_value(e), ", \t\r\n") != NULL)
			return -1;
		len += json_string_length(e) + 1;
	}
	if ((s = calloc(1, len + 1)) == NULL) {
		*oom = 1;
		return -1;
	}
	/* Joined in one pass: each tag's length is known (checked above). */
	len = 0;
	json_array_foreach(v, i, e) {
		if (i > 0)
			s[len++] = ',';
		memcpy(s + len, json_string_value(e), json_string_length(e));
		len += json_string_length(e);
	}
	i = json_object_set_new(o, name, json_string(s)) < 0;
	free(s);
	*oom = (int)i;
	return i ? -1 : 0;
}

const char *
api_body_unknown(const json_t *o, const struct field_rule *rules, size_t n)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)o, key, v) {
		for (i = 0; i < n && strcmp(rules[i].name, key) != 0; i++)
			;
		if (i == n)
			return key;
	}
	return NULL;
}

json_t *
api_body_parse(struct arena *a, const char *body, size_t n, int *status, const char **why)
{
	json_error_t err;
	json_t *o;

	*status = 400;
	if (n > API_BODY_MAX) {
		*status = 413;
		*why = "The body is larger than 1 MiB.";
		return NULL;
	}
	if (body == NULL || n == 0) {
		*why = "The body is empty: send a JSON object.";
		return NULL;
	}
	o = json_loadb(body, n, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL) {
		*why = arena_printf(a, "Invalid JSON at line %d: %s", err.line, err.text);
		if (*why == NULL)
			*why = "Invalid JSON.";
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		*why = "The body must be a JSON object.";
		return NULL;
	}
	return o;
}
