/* contacts.c — see contacts.h. */
#include "domain/contacts.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/intake.h"
#include "domain/notify.h"
#include "domain/portal_users.h"
#include "domain/text_check.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDS_COLS(X) X(ID, user_id, "user_id") X(ID, customer_id, "customer_id")
enum { DB_COL_ENUM(IDS_COLS) };

#define PHONE_COLS(X) X(PH, customer_id, "id")
enum { DB_COL_ENUM(PHONE_COLS) };

enum stmt {
	ST_REGISTER,
	ST_PHONE_ONLY,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* A login without a password (portal_register refuses staff and taken addresses). */
	[ST_REGISTER] = DB_STMT("contact_register",
	    "SELECT " DB_COLS(IDS_COLS) " FROM portal_register($1, $2, NULL,"
	    " 'en')", 2),
	[ST_PHONE_ONLY] = DB_STMT("contact_phone_only",
	    "INSERT INTO customers (name, kind, phone) VALUES ($1, 'person', $2)"
	    " RETURNING " DB_COLS(PHONE_COLS), 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
refuse(const char **why, const char *sentence)
{
	*why = sentence;
	return CS_REFUSED;
}

/* A name for someone who gave none: the address's local part, or the phone. */
static const char *
name_for(struct arena *a, const struct contact_in *in)
{
	const char *at;

	if (in->name != NULL && in->name[0] != '\0' && text_line_ok(in->name) &&
	    strlen(in->name) <= PORTAL_USER_NAME_MAX)
		return in->name;
	if (in->email != NULL && in->email[0] != '\0' && (at = strchr(in->email, '@')) != NULL)
		return arena_strndup(a, in->email, (size_t)(at - in->email));
	return in->phone != NULL ? in->phone : "Customer";
}

/* The event of a contact made now: who, and through which channel. */
static enum cs_result
created_event(struct db *db, const struct contact *c, const struct contact_in *in)
{
	struct event_actor sys = { "system", 0 };
	json_t *o = json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)c->user_id, "via",
	    in->via != NULL ? in->via : "", "email", in->email != NULL ? in->email : "");
	char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	enum cs_result rc = CS_FAILED;

	if (text != NULL)
		rc = events_append(db, "customer", c->customer_id, "customer.contact_created", &sys,
		    text);
	free(text);
	json_decref(o);
	return rc;
}

/* The login with that address: CS_OK (found, active), CS_NOT_FOUND, CS_REFUSED, or the failure. */
static enum cs_result
by_email(struct db *db, struct arena *a, const char *email, struct contact *out,
    const char **why)
{
	struct portal_login l;
	enum cs_result rc = portal_user_lookup(db, a, email, &l);

	if (rc != CS_OK)
		return rc;
	if (l.user_id <= 0)
		return CS_NOT_FOUND;
	if (!l.active)
		return refuse(why, "The contact with that e-mail is disabled.");
	out->customer_id = l.customer_id;
	out->user_id = l.user_id;
	return CS_OK;
}

static enum cs_result
create_by_email(struct db *db, struct arena *a, const struct contact_in *in,
    struct contact *out, const char **why)
{
	const char *p[] = { name_for(a, in), in->email };
	PGresult *r;
	enum cs_result rc;
	int staff = 0;

	if (p[0] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_REGISTER], p)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) == 1) {
		out->user_id = db_ll(r, 0, ID_user_id);
		out->customer_id = db_ll(r, 0, ID_customer_id);
		out->created = 1;
	}
	PQclear(r);
	if (out->created)
		return db_end(db, created_event(db, out, in));
	/*
	 * Nothing made: taken meanwhile by someone else's call, or a staff
	 * member's address. Ended as a success, since a nested rollback would
	 * doom the caller's transaction for what is only an answer.
	 */
	if ((rc = db_end(db, CS_OK)) != CS_OK)
		return rc;
	rc = portal_address_staff(db, in->email, &staff);
	if (rc == CS_OK && staff)
		return refuse(why, "That address belongs to a staff member.");
	if (rc == CS_OK && (rc = by_email(db, a, in->email, out, why)) == CS_NOT_FOUND)
		rc = CS_CONFLICT;
	return rc;
}

static enum cs_result
by_phone(struct db *db, struct arena *a, const struct contact_in *in, struct contact *out)
{
	struct intake_match *m;
	size_t n, i;
	const char *p[2];
	PGresult *r;
	enum cs_result rc = intake_find(db, a, in->phone, &m, &n);

	if (rc != CS_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (m[i].user_id > 0 || i + 1 == n) {
			out->customer_id = m[i].customer_id;
			out->user_id = m[i].user_id;
			return CS_OK;
		}
	p[0] = name_for(a, in);
	p[1] = in->phone;
	if (p[0] == NULL)
		return CS_FAILED;
	if (db_begin(db) < 0)
		return db_result(db);
	if ((r = db_exec(db, &stmts[ST_PHONE_ONLY], p)) == NULL)
		return db_end(db, db_result(db));
	if (PQntuples(r) == 1)
		out->customer_id = db_ll(r, 0, PH_customer_id);
	PQclear(r);
	out->created = out->customer_id > 0;
	return db_end(db, out->created ? created_event(db, out, in) : CS_FAILED);
}

enum cs_result
contact_find_or_create(struct db *db, struct arena *a, const struct contact_in *in,
    struct contact *out, const char **why)
{
	enum cs_result rc;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (in->email != NULL && in->email[0] != '\0') {
		if (!notify_address_ok(in->email))
			return refuse(why, "That is not a usable e-mail address.");
		rc = in->absent ? CS_NOT_FOUND : by_email(db, a, in->email, out, why);
		return rc == CS_NOT_FOUND ? create_by_email(db, a, in, out, why) : rc;
	}
	if (in->phone == NULL || intake_phone_digits(in->phone) < INTAKE_PHONE_MIN_DIGITS ||
	    strlen(in->phone) > 40 || !text_line_ok(in->phone))
		return refuse(why, "Give the customer's e-mail address or phone number.");
	return by_phone(db, a, in, out);
}
