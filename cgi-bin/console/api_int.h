/*
 * api_int.h — what the files of the JSON API (cgi-bin/console/api*.c)
 * share: answering in JSON, the errors' one shape, Idempotency-Key, the
 * body read and checked against its member rules, and the ticket a path
 * names. The handlers themselves are declared in api.h.
 *
 * Every error is {"error": {"status", "message"}}, with "field" naming the
 * member at fault when the status is 422 (or 409 for a stale "version").
 * The helpers that answer return what a handler returns: 0 when the
 * response is made, else a status (500) for the pipeline's error page.
 */
#ifndef CSDESK_CONSOLE_API_INT_H
#define CSDESK_CONSOLE_API_INT_H

#include <stddef.h>

#include "core/result.h"
#include "web/app.h"

struct field_rule;
struct idem_key;
struct json_t;
struct ticket;
struct ticket_actor_ref;

/* Answers status with o (taken; NULL: 500). */
int api_reply(struct req *r, struct resp *w, int status, struct json_t *o);

/* Answers the JSON error; field (may be NULL) names the member at fault. */
int api_fail(struct req *r, struct resp *w, int status, const char *field,
    const char *message);

/* Answers a failure of the domain (CS_DB_LOST, CS_FAILED, …) with its status. */
int api_db_fail(struct req *r, struct resp *w, enum cs_result rc);

typedef int (*api_handler)(struct app *app, struct req *r, struct resp *w);

/*
 * The client's Idempotency-Key (docs/api.md) as a key the use case claims
 * itself (ticket creation): 1 with *k set, k->key NULL when none came;
 * 0 when w answers (400: not a valid key) with *st what to return.
 */
int api_once(struct req *r, struct resp *w, struct idem_key *k, int *st);

/*
 * Runs a POST or PATCH under the client's Idempotency-Key (docs/api.md),
 * claimed in a transaction around the handler (comments and updates).
 */
int api_idempotent(struct app *app, struct req *r, struct resp *w, api_handler handler);

/* The key's integration agent as the use cases' actor. */
void api_actor(const struct req *r, struct ticket_actor_ref *by);

/*
 * The body as a JSON object (the caller's to json_decref). Returns 0 with
 * *out set, else the error response is made (415, 413 or 400) and *out is
 * NULL.
 */
int api_read_object(struct req *r, struct resp *w, struct json_t **out);

/*
 * Checks o's members against rules into vals and nums (may be NULL;
 * copies in the request's arena). A member no rule names is refused.
 * Returns 0, or answers 422 naming the member and returns -1 (*st: what
 * the handler returns).
 */
int api_members(struct req *r, struct resp *w, const struct json_t *o,
    const struct field_rule *rules, size_t n, const char **vals, long long *nums, int *st);

/* "" (absent) as NULL, for the domain's optional inputs. */
const char *api_given(const char *v);

/* NULL and "" become null, other strings themselves. */
struct json_t *api_str(const char *s);

/* An id as a number, 0 (none) as null. */
struct json_t *api_id(long long id);

/*
 * Loads the ticket the path's {number} names; answers 404 itself. With a
 * customer_email query parameter, a ticket of another customer is not
 * found either, so an integration acting for one customer cannot reach
 * another's. Returns 1 when found, else 0 with *st what to return.
 */
int api_load_ticket(struct app *app, struct req *r, struct resp *w, struct ticket *t, int *st);

/* Answers status (201 adds Location) with the ticket number as it is now. */
int api_reply_ticket(struct app *app, struct req *r, struct resp *w, const char *number,
    int status);

#endif
