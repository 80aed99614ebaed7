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
	API_C_CATEGORY, API_C_PHONE, API_C_NAME, API_C_SITE, API_C__MAX };
extern const struct field_rule api_create_rules[API_C__MAX];

/* An id a member names (a queue, team, agent, category, product). */
#define API_ID_MAX (1LL << 62)

/*
 * PATCH /api/v1/tickets/{number}: any of the ticket's fields, its status
 * and its assignment. "tags" arrives as an array of strings, which the
 * handler joins (api_body_tags) before these rules see it.
 */
enum { API_U_STATUS, API_U_PRIORITY, API_U_CODE, API_U_CAUSE, API_U_TYPE, API_U_CATEGORY,
	API_U_PRODUCT, API_U_SERIAL, API_U_TAGS, API_U_QUEUE, API_U_TEAM, API_U_ASSIGNEE,
	API_U_SITE, API_U_VERSION, API_U__MAX };
extern const struct field_rule api_update_rules[API_U__MAX];

/* POST /api/v1/tickets/{number}/comments. */
enum { API_M_BODY, API_M_VISIBILITY, API_M_VERSION, API_M__MAX };
extern const struct field_rule api_comment_rules[API_M__MAX];

/*
 * Replaces o's member name, when it is an array of strings, by one string
 * of them joined with commas (null and absent stay as they are). Returns
 * 0, or -1 when it is something else (or memory ran out: *oom set).
 */
int api_body_tags(struct json_t *o, const char *name, int *oom);

/*
 * The first member of o that none of the n rules names, or NULL: a typo
 * ("categroy_id") is refused rather than ignored.
 */
const char *api_body_unknown(const struct json_t *o, const struct field_rule *rules, size_t n);

#endif
