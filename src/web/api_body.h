/*
 * api_body.h — what the JSON API (cgi-bin/console/api.c) accepts as a
 * request body: one JSON object of at most API_BODY_MAX bytes, read by
 * api_body_parse(), whose members are then checked with
 * fields_check_json() against the tables below. They live here rather
 * than in the handler so that the fuzzing harness
 * (tests/fuzz/fuzz_api_body.c) runs the very same parse-and-check path.
 */
#ifndef CSDESK_WEB_API_BODY_H
#define CSDESK_WEB_API_BODY_H

#include <stddef.h>

#include "web/fields.h"

struct arena;
struct json_t;

/* Largest JSON body accepted. */
#define API_BODY_MAX (1u << 20)
/* A lookup key, not something stored: the outbox's longest address. */
#define API_EMAIL_MAX 254
/* Words looked up in a list (status, resolution code). */
#define API_WORD_MAX 64

/*
 * Parses the n bytes of body as a JSON object (duplicate members
 * refused). Returns it (the caller's to json_decref), or NULL with
 * *status 413 or 400 and *why the sentence to answer with (in a).
 */
struct json_t *api_body_parse(struct arena *a, const char *body, size_t n, int *status,
    const char **why);

/* POST /api/v1/tickets. */
enum { API_C_EMAIL, API_C_SUBJECT, API_C_DESCRIPTION, API_C_CHANNEL, API_C_PRIORITY,
	API_C_CATEGORY, API_C_PHONE, API_C_NAME, API_C__MAX };
extern const struct field_rule api_create_rules[API_C__MAX];

/* PATCH /api/v1/tickets/{number}: the status, the priority or both. */
enum { API_U_STATUS, API_U_PRIORITY, API_U_CODE, API_U_CAUSE, API_U__MAX };
extern const struct field_rule api_update_rules[API_U__MAX];

/* POST /api/v1/tickets/{number}/comments. */
enum { API_M_BODY, API_M_VISIBILITY, API_M__MAX };
extern const struct field_rule api_comment_rules[API_M__MAX];

#endif
