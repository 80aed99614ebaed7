/*
 * auth_cases.h — what people do to get in and to look after their
 * account, as use cases: spending a sign-in link, signing up, confirming
 * an address, resetting or changing a password, asking for a link by
 * e-mail. Each owns its transaction (db_begin, lazily: the BEGIN goes
 * with the first statement), writes what the pages wrote before it
 * (audit rows, queued mail, sessions) and returns an enum cs_result.
 *
 * The handlers keep the request: the form, the session cookie, the flash
 * and the redirect. What a use case needs of the request is in
 * struct auth_origin. The slow password hash is the handler's, made
 * before the use case starts, so no transaction waits for Argon2id.
 *
 * In the portal a signed-in customer's request already runs in a
 * transaction (web/app.c): these nest in it, so a use case that changed
 * nothing ends its part normally rather than rolling back, which would
 * doom the request's transaction and turn the answer into a 500.
 */
#ifndef CSDESK_AUTH_CASES_H
#define CSDESK_AUTH_CASES_H

#include "core/result.h"
#include "domain/audit.h"

struct arena;
struct db;
struct portal_signup;
struct throttle_key;
struct tmpl_set;
struct tval;

/* Who asks, from where, and what the mail a use case queues starts from. */
struct auth_origin {
	const char *ip;			/* the client's address; NULL: none */
	const char *program;		/* "portal", "console": the audit detail's */
	const char *request_id;		/* for the log when an audit row fails */
	long long actor_id;		/* the signed-in person asking; 0: nobody yet */
	const struct tmpl_set *tmpl;	/* the mail templates */
	struct tval *mail;		/* the site's context for the mail (the use case adds its keys) */
	const char *base_url;		/* "https://desk.example": the links in mail start with it */
};

/*
 * One audit row as a page writes it: actor kind and id, action, object,
 * and detail {"subject": subject, "program": o->program} when subject is
 * not NULL ({} when it is). A failure is logged, not returned: the change
 * it describes has been decided already.
 */
void auth_audit(struct db *db, const struct auth_origin *o, enum audit_actor kind,
    long long actor_id, const char *action, const char *object_type, const char *object_id,
    const char *subject);

/*
 * Ends a use case's transaction given rc (db_end), except that
 * CS_NOT_FOUND (a link not valid any more: nothing changed) commits, so
 * a request's transaction it nests in stays usable for the page that
 * explains. Returns rc, or the commit's failure.
 */
enum cs_result auth_end_keeping_not_found(struct db *db, enum cs_result rc);

/*
 * Issues a portal link (purpose "verify_email", "reset_password" or
 * "signin_link") for the active user with that e-mail (or, email NULL,
 * that id) and queues its mail, in the caller's transaction. A link asked
 * for by address is limited per address (the lock on it is held until
 * the caller's transaction ends, so after the mail is queued). CS_OK
 * sent, CS_NOT_FOUND no such active user, CS_REFUSED the address had its
 * share, or the failure.
 */
enum cs_result portal_link_send(struct db *db, struct arena *a, const struct auth_origin *o,
    const char *purpose, const char *email, long long user_id);

/*
 * "Send me a link" by typing an address (sign-in link, password reset):
 * portal_link_send in a transaction of its own, committed whether or not
 * an account had the address or the address had its share, so the answer
 * tells nothing. CS_OK in all those cases, or the failure.
 */
enum cs_result portal_link_ask(struct db *db, struct arena *a, const struct auth_origin *o,
    const char *purpose, const char *email);

/*
 * Spends a mailed sign-in link: confirms the address (the mailbox is
 * proved), starts a session (ua, ip) and writes "login.link". CS_OK with
 * the user, their e-mail and the session's token and CSRF token (in a);
 * CS_NOT_FOUND when the link is not valid any more (nothing changed); or
 * the failure.
 */
enum cs_result portal_signin_link_redeem(struct db *db, struct arena *a,
    const struct auth_origin *o, const char *token, const char *ua, long long *user_id,
    const char **email, const char **session, const char **csrf);

/*
 * Self-registration with a password hashed by the caller: the account
 * and its "verify_email" link, with "register" audited; for an address
 * that has an account already, a mail telling its owner (at most
 * PORTAL_MAIL_EXISTS_MAX a day; a staff address gets a mail of its own
 * and "register.staff_address") and the same CS_OK. CS_REFUSED with *why
 * for a name or address the rules refuse, or the failure.
 */
enum cs_result portal_sign_up(struct db *db, struct arena *a, const struct auth_origin *o,
    const struct portal_signup *in, const char **why);

/*
 * Spends a "verify_email" link: the address is confirmed. CS_OK,
 * CS_NOT_FOUND when the link is not valid any more (nothing changed), or
 * the failure.
 */
enum cs_result portal_email_verify(struct db *db, const char *token);

/*
 * Spends a reset link (or a contact's "invite") with a new password
 * hashed by the caller: sets it, confirms the address, ends every session
 * of the person, mails them and writes "password.reset". CS_OK with
 * *user_id, CS_NOT_FOUND when the link is not valid any more (nothing
 * changed), or the failure.
 */
enum cs_result portal_password_reset(struct db *db, struct arena *a,
    const struct auth_origin *o, const char *token, const char *hash, long long *user_id);

/* Queues "your password was changed" to the user, in the caller's transaction. */
enum cs_result portal_password_mail(struct db *db, struct arena *a, const struct auth_origin *o,
    long long user_id);

/*
 * A sign-in whose password (and second factor) the caller checked before,
 * outside any transaction: Argon2id is slow, and no lock waits for it.
 */
struct sign_in {
	const struct throttle_key *key;	/* the attempt, counted; NULL: not counted (a link) */
	const char *email;		/* as typed: the subject of a refusal's audit row */
	long long id;			/* the person proved; 0: refused */
	const char *link;		/* staff: a mailed link's token, spent here; NULL: none */
	const char *fresh_hash;		/* the password re-hashed with today's cost, or NULL */
	const char *old_session;	/* this browser's session token, ended; NULL: none */
	const char *ua;			/* the browser's User-Agent, for the session list */
	int remember;			/* portal: the session outlives the browser */
	const char *action;		/* the audit action: "login.success", "login.link" */
};

/*
 * Signs in s->id: counts a successful attempt, stores a fresh hash, ends
 * the browser's old session, starts a new one (*token and *csrf, in a)
 * and writes s->action. Refused (s->id 0): counts a failed attempt and
 * writes "login.failure" with the address typed, and answers CS_REFUSED
 * with *why. Staff with s->link: spends the link first (CS_NOT_FOUND when
 * it is not valid any more: nothing changed). Else the failure.
 */
enum cs_result staff_sign_in(struct db *db, struct arena *a, const struct auth_origin *o,
    const struct sign_in *s, long long *staff_id, const char **token, const char **csrf,
    const char **why);
enum cs_result portal_sign_in(struct db *db, struct arena *a, const struct auth_origin *o,
    const struct sign_in *s, const char **token, const char **csrf, const char **why);

/*
 * A staff member asks for a sign-in link by typing an address: the link
 * and its mail when there is such an active person and the address has
 * not had its share, in one transaction (the limit's lock is held until
 * the mail is queued). CS_OK in every such case, or the failure.
 */
enum cs_result staff_signin_link_ask(struct db *db, struct arena *a,
    const struct auth_origin *o, const char *email);

/*
 * A signed-in staff member changes their password (hash made and the
 * current one re-checked by the caller): every other session ends, they
 * are mailed (name, to) and "password.change" is written. CS_OK or the
 * failure.
 */
enum cs_result staff_password_change(struct db *db, struct arena *a,
    const struct auth_origin *o, long long session_id, const char *hash, const char *name,
    const char *to);

#endif
