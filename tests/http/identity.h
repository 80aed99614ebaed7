/*
 * identity.h — what the HTTP suites need to act as a person: a cookie jar,
 * form posts that carry the CSRF token, signing in, and reading the mail
 * csdesk queued (from the outbox table, as the database owner).
 */
#ifndef CSDESK_TEST_IDENTITY_H
#define CSDESK_TEST_IDENTITY_H

#include "../lib/harness.h"

struct db;

#define JAR_MAX 8

struct jar {
	char name[JAR_MAX][64];
	char value[JAR_MAX][1024];
	int n;
};

/* Takes every Set-Cookie of r into the jar (deleting expired ones). */
void jar_take(struct jar *j, const struct th_resp *r);
/* The value of a cookie in the jar, or NULL. */
const char *jar_get(const struct jar *j, const char *name);
void jar_clear(struct jar *j);

/* GET base+path with the jar's cookies; takes cookies back. */
struct th_resp web_get(const struct th_stack *s, struct jar *j, const char *path);

/*
 * POST an urlencoded form to path: body is "a=1&b=2" without the token;
 * csrf_token is added from the page at token_page (GET first) unless
 * token_page is NULL, in which case body is sent as is.
 */
struct th_resp web_post(const struct th_stack *s, struct jar *j, const char *path,
    const char *token_page, const char *body);

/* Signs in on the console as email with password pw (as typed: spaces
 * allowed); asserts the answer is the redirect and the staff cookie came. */
void web_staff_sign_in(const struct th_stack *s, struct jar *j, const char *email,
    const char *pw);

/* The csrf_token hidden field's value in an HTML page (static buffer). */
const char *csrf_in(const char *html);

/* The newest queued mail to recipient of kind: its text body (malloc'd) or NULL. */
char *mail_text(const char *conninfo, const char *recipient, const char *kind);

/* The first URL in text that starts with prefix (malloc'd), path part only. */
char *link_path(const char *text, const char *marker);

/* Runs one SQL statement as the database owner; returns the first value
 * of the first row (malloc'd, "" when none) — for checks and time travel. */
char *sql_owner(const char *conninfo, const char *sql, const char *param);

/*
 * Fixtures: a staff member or a customer account with its first portal
 * login, made through the domain with no audit row (like the command
 * line). Each asserts it worked and returns the new id.
 */
long long staff_fixture(struct db *d, const char *email, const char *name, const char *hash,
    const char *roles);
long long customer_fixture(struct db *d, const char *name, const char *kind, const char *tier,
    const char *language, const char *email, const char *user_name, const char *hash,
    int verified, long long *user_id);

#endif
