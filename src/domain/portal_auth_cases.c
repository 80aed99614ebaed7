/*
 * portal_auth_cases.c — the portal's sign-in links, sign-up, address
 * confirmation and password reset as use cases (auth_cases.h).
 */
#include "domain/auth_cases.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/notify.h"
#include "domain/portal_users.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

void
auth_audit(struct db *db, const struct auth_origin *o, enum audit_actor kind, long long actor_id,
    const char *action, const char *object_type, const char *object_id, const char *subject)
{
	struct audit_entry e = { 0 };
	json_t *detail = NULL;

	e.actor_kind = kind;
	e.actor_id = actor_id;
	e.action = action;
	e.object_type = object_type;
	e.object_id = object_id;
	e.ip = o->ip;
	if (subject != NULL) {
		detail = json_pack("{s:s, s:s}", "subject", subject, "program", o->program);
		e.detail = detail;
	}
	if (audit_record(db, &e) != CS_OK)
		log_error("audit: could not record %s (request %s)", action,
		    o->request_id != NULL ? o->request_id : "-");
	json_decref(detail);
}

/* Names the customer a link turned out to be for, for row-level security
 * in the rest of the transaction (the portal's role sees only its rows). */
static struct db_stmt st_scope = DB_STMT("auth_case_scope",
    "SELECT set_config('csdesk.customer_id', $1, true)", 1);

static enum cs_result
customer_scope(struct db *db, long long customer_id)
{
	char id[24];
	const char *p[] = { id };

	snprintf(id, sizeof(id), "%lld", customer_id);
	return db_do(db, &st_scope, p);
}

enum cs_result
auth_end_keeping_not_found(struct db *db, enum cs_result rc)
{
	if (rc != CS_NOT_FOUND)
		return db_end(db, rc);
	return db_end(db, CS_OK) == CS_OK ? CS_NOT_FOUND : db_result(db);
}

/*
 * The single-use links the portal mails: the mail's template, where the
 * link leads, how long it works and, for links anyone may ask for by
 * typing an address, how many may go to one address in a window.
 */
static const struct link_kind {
	const char *purpose, *mail, *path, *expires_in;
	int seconds, max, window;
} link_kinds[] = {
	{ "verify_email", "verify_email", "/verify", "2 days", PORTAL_LINK_VERIFY_SECONDS, 0, 0 },
	{ "reset_password", "password_reset", "/password/reset", "2 hours",
	    PORTAL_LINK_RESET_SECONDS, PORTAL_MAIL_RESET_MAX, PORTAL_MAIL_RESET_WINDOW },
	{ "signin_link", "signin_link", "/login/link", "15 minutes", PORTAL_LINK_SIGNIN_SECONDS,
	    PORTAL_MAIL_SIGNIN_MAX, PORTAL_MAIL_SIGNIN_WINDOW },
};

enum cs_result
portal_link_send(struct db *db, struct arena *a, const struct auth_origin *o,
    const char *purpose, const char *email, long long user_id)
{
	const struct link_kind *k = NULL;
	const char *token, *name, *to;
	enum cs_result rc;
	size_t i;

	for (i = 0; i < sizeof(link_kinds) / sizeof(link_kinds[0]); i++)
		if (strcmp(link_kinds[i].purpose, purpose) == 0)
			k = &link_kinds[i];
	if (k == NULL || o->mail == NULL)
		return CS_FAILED;
	/* Before the link is made: a new link voids the last one. */
	if (email != NULL && k->max > 0 &&
	    (rc = portal_mail_allowed(db, purpose, email, k->max, k->window)) != CS_OK)
		return rc;
	rc = portal_link_issue(db, a, purpose, email, user_id, k->seconds, &token, &name, &to);
	if (rc != CS_OK)
		return rc;
	/*
	 * No name in these mails (the templates greet without one): a
	 * verification goes to an address nobody has proved yet, under a name
	 * whoever registered chose, and a reset may go to such an address too.
	 */
	(void)name;
	tval_set_str(a, o->mail, "link", arena_printf(a, "%s%s?token=%s", o->base_url, k->path,
	    token));
	tval_set_str(a, o->mail, "expires_in", k->expires_in);
	return notify_enqueue(db, o->tmpl, a, purpose, to, k->mail, o->mail);
}

enum cs_result
portal_link_ask(struct db *db, struct arena *a, const struct auth_origin *o,
    const char *purpose, const char *email)
{
	enum cs_result rc;

	/* One transaction: the per-address limit holds its lock until the mail is queued. */
	if (db_begin(db) < 0)
		return db_result(db);
	rc = portal_link_send(db, a, o, purpose, email, 0);
	if (rc == CS_NOT_FOUND || rc == CS_REFUSED)
		rc = CS_OK;
	return db_end(db, rc);
}

enum cs_result
portal_signin_link_redeem(struct db *db, struct arena *a, const struct auth_origin *o,
    const char *token, const char *ua, long long *user_id, const char **email,
    const char **session, const char **csrf)
{
	const char *name;
	long long cid;
	enum cs_result rc;

	if (db_begin(db) < 0)
		return db_result(db);
	rc = portal_link_redeem(db, "signin_link", token, user_id, &cid);
	/* Proving control of the mailbox also confirms the address. */
	if (rc == CS_OK && ((rc = customer_scope(db, cid)) != CS_OK ||
	    (rc = portal_user_mark_verified(db, *user_id)) != CS_OK ||
	    (rc = portal_user_contact(db, a, *user_id, &name, email)) != CS_OK))
		rc = rc == CS_NOT_FOUND ? CS_FAILED : rc;
	if (rc == CS_OK && session_customer_start(db, a, *user_id, 0, ua, o->ip, session,
	    csrf) < 0)
		rc = CS_FAILED;
	if (rc == CS_OK)
		auth_audit(db, o, AUDIT_ACTOR_CUSTOMER, *user_id, "login.link", "portal_user",
		    arena_printf(a, "%lld", *user_id), NULL);
	return auth_end_keeping_not_found(db, rc);
}

/*
 * Tells the owner of an address that someone tried to register it again,
 * at most PORTAL_MAIL_EXISTS_MAX times a day, so the form cannot flood
 * a mailbox. Nothing the registrant typed goes into this mail. A staff
 * member's address gets a mail of its own and an audit row for the admins
 * to review (limited the same way); the person registering sees the same
 * answer either way.
 */
static enum cs_result
tell_existing(struct db *db, struct arena *a, const struct auth_origin *o, const char *email)
{
	const char *name = "account_exists";
	enum cs_result rc;
	int staff;

	if (o->mail == NULL)
		return CS_FAILED;
	if ((rc = portal_address_staff(db, email, &staff)) != CS_OK)
		return rc;
	if (staff)
		name = "staff_address";
	rc = portal_mail_allowed(db, name, email, PORTAL_MAIL_EXISTS_MAX,
	    PORTAL_MAIL_EXISTS_WINDOW);
	if (rc != CS_OK)
		return rc == CS_REFUSED ? CS_OK : rc;
	if (staff)
		auth_audit(db, o, AUDIT_ACTOR_CUSTOMER, o->actor_id, "register.staff_address",
		    "portal_user", NULL, email);
	tval_set_str(a, o->mail, "link", arena_printf(a, "%s/password/forgot", o->base_url));
	tval_set_str(a, o->mail, "login_link", arena_printf(a, "%s%s", o->base_url,
	    staff ? "/agent/login" : "/login"));
	return notify_enqueue(db, o->tmpl, a, name, email, name, o->mail);
}

enum cs_result
portal_sign_up(struct db *db, struct arena *a, const struct auth_origin *o,
    const struct portal_signup *in, const char **why)
{
	long long uid, cid;
	enum cs_result rc;

	if (db_begin(db) < 0)
		return db_result(db);
	rc = portal_user_register(db, in, &uid, &cid, why);
	if (rc == CS_TAKEN) {
		rc = tell_existing(db, a, o, in->email);
	} else if (rc == CS_OK && (rc = portal_link_send(db, a, o, "verify_email", NULL,
	    uid)) == CS_OK) {
		auth_audit(db, o, AUDIT_ACTOR_CUSTOMER, uid, "register", "portal_user",
		    arena_printf(a, "%lld", uid), in->email);
	} else if (rc == CS_NOT_FOUND) {
		rc = CS_FAILED;		/* the account just made has no link */
	}
	return db_end(db, rc);
}

enum cs_result
portal_email_verify(struct db *db, const char *token)
{
	long long uid, cid;
	enum cs_result rc;

	if (db_begin(db) < 0)
		return db_result(db);
	rc = portal_link_redeem(db, "verify_email", token, &uid, &cid);
	if (rc == CS_OK && ((rc = customer_scope(db, cid)) != CS_OK ||
	    (rc = portal_user_mark_verified(db, uid)) != CS_OK))
		rc = rc == CS_NOT_FOUND ? CS_FAILED : rc;
	return auth_end_keeping_not_found(db, rc);
}

enum cs_result
portal_password_mail(struct db *db, struct arena *a, const struct auth_origin *o,
    long long user_id)
{
	const char *name, *to;
	struct tval *user = tval_map(a);
	enum cs_result rc;

	if (user == NULL || o->mail == NULL)
		return CS_FAILED;
	if ((rc = portal_user_contact(db, a, user_id, &name, &to)) != CS_OK)
		return rc == CS_NOT_FOUND ? CS_FAILED : rc;
	tval_set_str(a, user, "name", name);
	tval_set(a, o->mail, "user", user);
	tval_set_str(a, o->mail, "link", arena_printf(a, "%s/password/forgot", o->base_url));
	return notify_enqueue(db, o->tmpl, a, "password_changed", to, "password_changed", o->mail);
}

enum cs_result
portal_password_reset(struct db *db, struct arena *a, const struct auth_origin *o,
    const char *token, const char *hash, long long *user_id)
{
	long long cid;
	enum cs_result rc;

	if (db_begin(db) < 0)
		return db_result(db);
	rc = portal_link_redeem(db, "reset_password", token, user_id, &cid);
	/* A contact made from a mail sets its first password the same way. */
	if (rc == CS_NOT_FOUND)
		rc = portal_link_redeem(db, "invite", token, user_id, &cid);
	/* Proving control of the mailbox also confirms the address. */
	if (rc == CS_OK && ((rc = customer_scope(db, cid)) != CS_OK ||
	    (rc = portal_user_set_password(db, *user_id, hash)) != CS_OK ||
	    (rc = portal_user_mark_verified(db, *user_id)) != CS_OK ||
	    (rc = session_customer_end_all(db, *user_id, 0) < 0 ? CS_FAILED : CS_OK) != CS_OK ||
	    (rc = portal_password_mail(db, a, o, *user_id)) != CS_OK))
		rc = rc == CS_NOT_FOUND ? CS_FAILED : rc;
	if (rc == CS_OK)
		auth_audit(db, o, AUDIT_ACTOR_CUSTOMER, *user_id, "password.reset", "portal_user",
		    arena_printf(a, "%lld", *user_id), NULL);
	return auth_end_keeping_not_found(db, rc);
}
