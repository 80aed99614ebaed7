/*
 * sign_in.c — signing in with a password (and a code) or a staff link, as
 * use cases (auth_cases.h): the attempt's count, the renewed hash, the
 * new session and the audit row commit together. The portal and the
 * console differ only in whom they sign in (struct sign_in_kind).
 */
#include "domain/auth_cases.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/portal_users.h"
#include "domain/staff_auth.h"

struct sign_in_kind {
	enum audit_actor actor;
	const char *object_type;	/* the audit rows' */
	enum cs_result (*set_password)(struct db *db, long long id, const char *hash);
	int (*session_end)(struct db *db, const char *token);
	int (*session_start)(struct db *db, struct arena *a, long long id, int remember,
	    const char *ua, const char *ip, const char **token, const char **csrf);
};

/* Staff sessions end with the browser: remember does not apply. */
static int
staff_session_start(struct db *db, struct arena *a, long long id, int remember, const char *ua,
    const char *ip, const char **token, const char **csrf)
{
	(void)remember;
	return session_staff_start(db, a, id, ua, ip, token, csrf);
}

static const struct sign_in_kind staff_kind = {
	AUDIT_ACTOR_STAFF, "staff", staff_auth_set_password, session_staff_end,
	staff_session_start,
};
static const struct sign_in_kind portal_kind = {
	AUDIT_ACTOR_CUSTOMER, "portal_user", portal_user_set_password, session_customer_end,
	session_customer_start,
};

/* The rest of a sign-in of id (0: refused), in the transaction begun. */
static enum cs_result
sign_in_end(struct db *db, struct arena *a, const struct auth_origin *o,
    const struct sign_in *s, const struct sign_in_kind *k, long long id, const char **token,
    const char **csrf, const char **why)
{
	enum cs_result rc;

	if (id == 0) {
		if (s->key != NULL && throttle_record(db, s->key, 0) < 0)
			return db_end(db, db_result(db));
		auth_audit(db, o, k->actor, o->actor_id, "login.failure", k->object_type, NULL,
		    s->email);
		if ((rc = db_end(db, CS_OK)) != CS_OK)
			return rc;
		*why = "Incorrect e-mail address or password.";
		return CS_REFUSED;
	}
	/* A hash that could not be renewed is renewed at the next sign-in. */
	if (s->fresh_hash != NULL && k->set_password(db, id, s->fresh_hash) != CS_OK &&
	    !db_tx_healthy(db))
		return db_end(db, db_result(db));
	/* A new session id at every sign-in; any old one ends. */
	if ((s->old_session != NULL && k->session_end(db, s->old_session) < 0) ||
	    k->session_start(db, a, id, s->remember, s->ua, o->ip, token, csrf) < 0 ||
	    (s->key != NULL && throttle_record(db, s->key, 1) < 0))
		return db_end(db, db_result(db));
	auth_audit(db, o, k->actor, id, s->action, k->object_type, arena_printf(a, "%lld", id),
	    NULL);
	return db_end(db, CS_OK);
}

enum cs_result
staff_sign_in(struct db *db, struct arena *a, const struct auth_origin *o,
    const struct sign_in *s, long long *staff_id, const char **token, const char **csrf,
    const char **why)
{
	enum cs_result rc;

	*staff_id = s->id;
	if (db_begin(db) < 0)
		return db_result(db);
	if (s->link != NULL && (rc = staff_link_redeem(db, s->link, staff_id)) != CS_OK)
		return auth_end_keeping_not_found(db, rc);
	return sign_in_end(db, a, o, s, &staff_kind, *staff_id, token, csrf, why);
}

enum cs_result
portal_sign_in(struct db *db, struct arena *a, const struct auth_origin *o,
    const struct sign_in *s, const char **token, const char **csrf, const char **why)
{
	if (db_begin(db) < 0)
		return db_result(db);
	return sign_in_end(db, a, o, s, &portal_kind, s->id, token, csrf, why);
}
