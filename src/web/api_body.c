/* api_body.c — see api_body.h. */
#include "web/api_body.h"
#include "core/arena.h"
#include "domain/ticket_rules.h"

#include <jansson.h>

/* The channels an integration may name (not portal or walk-in). */
static const char *const api_channels[] = { "chat", "social", "phone", "api", "email", NULL };
static const char *const visibilities[] = { "public", "internal", NULL };

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
};

const struct field_rule api_update_rules[API_U__MAX] = {
	[API_U_STATUS] = { "status", "\"status\"", FIELD_TEXT, 0, 0, API_WORD_MAX, NULL },
	[API_U_PRIORITY] = { "priority", "\"priority\"", FIELD_CHOICE, 0, 0, 0, ticket_priorities },
	[API_U_CODE] = { "resolution_code", "\"resolution_code\"", FIELD_TEXT, 0, 0, API_WORD_MAX,
	    NULL },
	[API_U_CAUSE] = { "root_cause", "\"root_cause\"", FIELD_LINES, 0, 0, 0, NULL },
};

const struct field_rule api_comment_rules[API_M__MAX] = {
	[API_M_BODY] = { "body", "\"body\"", FIELD_LINES, 1, 0, 0, NULL },
	[API_M_VISIBILITY] = { "visibility", "\"visibility\"", FIELD_CHOICE, 0, 0, 0, visibilities },
};

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
