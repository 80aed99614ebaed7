/*
 * staff_auth_cases.c — the console's sign-in link and password change as
 * use cases (auth_cases.h).
 */
#include "domain/auth_cases.h"
#include "auth/session.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/notify.h"
#include "domain/staff_auth.h"
#include "tmpl/tval.h"

enum cs_result
staff_signin_link_ask(struct db *db, struct arena *a, const struct auth_origin *o,
    const char *email)
{
	const char *token, *to;
	enum cs_result rc;

	if (o->mail == NULL)
		return CS_FAILED;
	/* One transaction: the per-address limit holds its lock until the mail is queued. */
	if (db_begin(db) < 0)
		return db_result(db);
	rc = staff_link_issue(db, a, email, &token, &to);
	if (rc == CS_OK) {
		tval_set_str(a, o->mail, "link", arena_printf(a, "%s/agent/login/link?token=%s",
		    o->base_url, token));
		tval_set_str(a, o->mail, "expires_in", "15 minutes");
		rc = notify_enqueue(db, o->tmpl, a, STAFF_LINK_MAIL_KIND, to, "signin_link",
		    o->mail);
	}
	/* The same answer in every case: no such person, or the address had its share. */
	if (rc == CS_NOT_FOUND || rc == CS_REFUSED)
		rc = CS_OK;
	return db_end(db, rc);
}

enum cs_result
staff_password_change(struct db *db, struct arena *a, const struct auth_origin *o,
    long long session_id, const char *hash, const char *name, const char *to)
{
	struct tval *user = tval_map(a);
	enum cs_result rc;

	if (user == NULL || o->mail == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = staff_auth_set_password(db, o->actor_id, hash);
	if (rc == CS_OK && session_staff_end_all(db, o->actor_id, session_id) < 0)
		rc = CS_FAILED;
	if (rc != CS_OK)
		return db_end(db, rc == CS_NOT_FOUND ? CS_FAILED : rc);
	/* The mail is a courtesy: an address the outbox refuses does not undo the change. */
	tval_set_str(a, user, "name", name);
	tval_set(a, o->mail, "user", user);
	tval_set_str(a, o->mail, "link", arena_printf(a, "%s/agent/account", o->base_url));
	if (notify_enqueue(db, o->tmpl, a, "password_changed", to, "password_changed",
	    o->mail) != CS_OK && !db_tx_healthy(db))
		return db_end(db, db_result(db));
	auth_audit(db, o, AUDIT_ACTOR_STAFF, o->actor_id, "password.change", "staff",
	    arena_printf(a, "%lld", o->actor_id), NULL);
	return db_end(db, CS_OK);
}
