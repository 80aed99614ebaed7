/*
 * returns_flow.c — the names of returns' states and lists, who may take
 * which step from which state, and what every step ends with (the lock,
 * the step row, the event). See returns.h.
 */
#include "domain/returns_int.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/events.h"
#include "domain/staff.h"
#include "domain/text_check.h"
#include "domain/tickets.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const return_state_names[RS__MAX] = {
	"requested", "approved", "awaiting_shipment", "received", "inspected", "dispositioned",
	"refunded", "replaced", "credited", "closed", "rejected", "cancelled",
};
const char *const return_state_labels[RS__MAX] = {
	"Requested", "Approved", "Awaiting shipment", "Received", "Inspected", "Dispositioned",
	"Refunded", "Replaced", "Credited", "Closed", "Rejected", "Cancelled",
};
const char *const return_reason_names[RETURN_REASONS + 1] = {
	"defective", "wrong_item", "damaged_in_transit", "not_needed", NULL,
};
const char *const return_reason_labels[RETURN_REASONS] = {
	"Defective", "Wrong item", "Damaged in transit", "Not needed",
};
const char *const return_type_names[RETURN_TYPES + 1] = {
	"return", "repair", "exchange", "credit", NULL,
};
const char *const return_type_labels[RETURN_TYPES] = {
	"Return for refund", "Repair", "Exchange", "Store credit",
};
const char *const return_disposition_names[RETURN_DISPOSITIONS + 1] = {
	"restock", "repair", "scrap", "return_to_vendor", NULL,
};
const char *const return_disposition_labels[RETURN_DISPOSITIONS] = {
	"Restock", "Repair", "Scrap", "Return to vendor",
};
const char *const return_outcome_names[RETURN_OUTCOMES + 1] = {
	"refund", "replace", "credit", "none", NULL,
};
const char *const return_outcome_labels[RETURN_OUTCOMES] = {
	"Refund", "Replace", "Credit", "Nothing",
};
const char *const return_step_names[RSTEP__MAX + 1] = {
	"approve", "reject", "authorise", "cancel", "close", NULL,
};

enum return_state
return_state_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < RS__MAX; i++)
		if (strcmp(s, return_state_names[i]) == 0)
			return (enum return_state)i;
	return RS__MAX;
}

const char *
return_label(const char *const *names, const char *const *labels, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return labels[i];
	return name != NULL ? name : "";
}

#define BIT(s) (1u << (s))
#define ROLE(r) (1u << (r))
#define DESK (ROLE(STAFF_AGENT) | ROLE(STAFF_SUPERVISOR) | ROLE(STAFF_ADMIN))
#define DECIDE (ROLE(STAFF_SUPERVISOR) | ROLE(STAFF_ADMIN))
#define WAREHOUSE (ROLE(STAFF_WAREHOUSE) | ROLE(STAFF_ADMIN))
#define BEFORE_RECEIVED (BIT(RS_REQUESTED) | BIT(RS_APPROVED) | BIT(RS_AWAITING_SHIPMENT))

/* The steps that only move the state: from which states, to which, by whom. */
static const struct {
	unsigned from;			/* BIT(state) */
	enum return_state to;
	unsigned roles;			/* staff roles that may */
	int customer;			/* the customer may, on their own return */
	int note_required;
	const char *not_now;		/* the sentence for a state it cannot start from */
} steps[RSTEP__MAX] = {
	[RSTEP_APPROVE] = { BIT(RS_REQUESTED), RS_APPROVED, DECIDE, 0, 0,
		"Only a requested return can be approved." },
	[RSTEP_REJECT] = { BIT(RS_REQUESTED), RS_REJECTED, DECIDE, 0, 1,
		"Only a requested return can be rejected." },
	[RSTEP_AUTHORISE] = { BIT(RS_APPROVED), RS_AWAITING_SHIPMENT, DESK, 0, 0,
		"Only an approved return can be sent its authorisation." },
	[RSTEP_CANCEL] = { BEFORE_RECEIVED, RS_CANCELLED, DESK, 1, 0,
		"A return can be cancelled only before anything of it is received." },
	[RSTEP_CLOSE] = { BIT(RS_REFUNDED) | BIT(RS_REPLACED) | BIT(RS_CREDITED), RS_CLOSED, DESK,
		0, 0, "Only a settled return can be closed." },
};
_Static_assert(sizeof(steps) / sizeof(steps[0]) == RSTEP__MAX, "one rule per step");

int
returns_has_role(const struct return_actor *by, unsigned mask)
{
	return by->kind == RA_STAFF && (by->roles & mask) != 0;
}

int
returns_may_warehouse(const struct return_actor *by)
{
	return returns_has_role(by, WAREHOUSE);
}

int
returns_may_settle(const struct return_actor *by)
{
	return returns_has_role(by, DECIDE);
}

/* Whether by may take step at all (whatever the state). */
static int
may(const struct return_actor *by, enum return_step step)
{
	if (by->kind == RA_CUSTOMER)
		return steps[step].customer;
	return by->kind == RA_SYSTEM || returns_has_role(by, steps[step].roles);
}

int
returns_step_allowed(const struct return_actor *by, enum return_step step,
    enum return_state state)
{
	return step < RSTEP__MAX && state < RS__MAX && may(by, step) &&
	    (steps[step].from & BIT(state)) != 0;
}

void
returns_scope(const struct return_actor *by, struct return_scope *sc)
{
	snprintf(sc->staff, sizeof(sc->staff), "%s", by->kind != RA_CUSTOMER ? "t" : "f");
	snprintf(sc->customer, sizeof(sc->customer), "%lld", by->customer_id);
	snprintf(sc->admin, sizeof(sc->admin), "%s", by->account_admin ? "t" : "f");
	snprintf(sc->user, sizeof(sc->user), "%lld", by->kind == RA_CUSTOMER ? by->id : 0);
}

#define LOCK_COLS(X) X(LK, id, "r.id") X(LK, number, "r.number") X(LK, state, "r.state")
enum { DB_COL_ENUM(LOCK_COLS) };

enum stmt {
	ST_LOCK,
	ST_MOVE,
	ST_STEP,
	ST_PHOTO,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LOCK] = DB_STMT("returns_lock",
	    "SELECT " DB_COLS(LOCK_COLS) " FROM returns r WHERE r.number = upper($1) AND"
	    RETURN_SCOPE("$2", "$3", "$4", "$5") " FOR UPDATE", 5),
	[ST_MOVE] = DB_STMT("returns_move",
	    "UPDATE returns SET state = $2, updated_at = now(),"
	    " outcome_note = CASE WHEN $4::boolean THEN $3 ELSE outcome_note END"
	    " WHERE id = $1::bigint", 4),
	[ST_STEP] = DB_STMT("returns_step",
	    "INSERT INTO return_steps (return_id, from_state, to_state, actor_kind, actor_id, note)"
	    " VALUES ($1, $2, $3, $4, $5, $6)", 6),
	[ST_PHOTO] = DB_STMT("returns_photo_add",
	    "INSERT INTO return_photos (return_id, stage, filename, content_type, size, sha256,"
	    " data) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

enum cs_result
returns_lock(struct db *db, struct arena *a, const struct return_actor *by, const char *number,
    struct return_locked *l)
{
	struct return_scope sc;
	const char *p[5];
	PGresult *r;
	int failed = 0;

	memset(l, 0, sizeof(*l));
	if (number == NULL || *number == '\0' || strlen(number) > 32)
		return CS_NOT_FOUND;
	returns_scope(by, &sc);
	p[0] = number;
	p[1] = sc.staff;
	p[2] = sc.customer;
	p[3] = sc.admin;
	p[4] = sc.user;
	if ((r = db_exec(db, &stmts[ST_LOCK], p)) == NULL)
		return db_result(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	l->id = db_ll(r, 0, LK_id);
	l->number = db_str(a, r, 0, LK_number, &failed);
	l->state = return_state_parse(PQgetvalue(r, 0, LK_state));
	PQclear(r);
	return failed || l->state == RS__MAX ? CS_FAILED : CS_OK;
}

static const char *
actor_kind(const struct return_actor *by)
{
	return by->kind == RA_CUSTOMER ? "customer" : by->kind == RA_STAFF ? "staff" : "system";
}

enum cs_result
returns_move(struct db *db, const struct return_actor *by, struct return_locked *l,
    enum return_state to, const char *note, int outcome)
{
	char id[24], who[24];
	const char *from = return_state_names[l->state], *name = return_state_names[to];
	const char *mp[] = { id, name, note != NULL ? note : "", outcome ? "t" : "f" };
	const char *sp[] = { id, l->state == to ? NULL : from, name, actor_kind(by),
		by->kind == RA_SYSTEM ? NULL : who, note != NULL ? note : "" };
	struct event_actor actor = { actor_kind(by), by->kind == RA_SYSTEM ? 0 : by->id };
	char type[48];
	char *text;
	json_t *o;
	enum cs_result rc;

	snprintf(id, sizeof(id), "%lld", l->id);
	snprintf(who, sizeof(who), "%lld", by->id);
	if ((rc = db_do(db, &stmts[ST_MOVE], mp)) != CS_OK ||
	    (rc = db_do(db, &stmts[ST_STEP], sp)) != CS_OK)
		return rc;
	o = json_pack("{s:s, s:s, s:s, s:s}", "number", l->number, "from", from, "to", name,
	    "note", note != NULL ? note : "");
	text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (text == NULL) {
		log_error("returns: %s: out of memory for the event", name);
		return CS_FAILED;
	}
	snprintf(type, sizeof(type), "return.%s", name);
	rc = events_append(db, "return", l->id, type, &actor, text);
	free(text);
	if (rc == CS_OK)
		l->state = to;
	return rc;
}

enum cs_result
returns_take_step(struct db *db, struct arena *a, const struct return_actor *by,
    const char *number, enum return_step step, const char *note, const char **why)
{
	struct return_locked l;
	enum cs_result rc;

	*why = NULL;
	if (step >= RSTEP__MAX)
		return CS_FAILED;
	if (note == NULL)
		note = "";
	if (utf8_chars(note) > RETURN_WHY_MAX) {
		*why = "Keep the note to 1,000 characters.";
		return CS_REFUSED;
	}
	if (steps[step].note_required && *note == '\0') {
		*why = "Say why: the customer is told.";
		return CS_REFUSED;
	}
	if (db_begin(db) < 0)
		return db_result(db);
	rc = returns_lock(db, a, by, number, &l);
	if (rc == CS_OK && !may(by, step)) {
		*why = "Your role cannot take that step.";
		rc = CS_REFUSED;
	} else if (rc == CS_OK && !(steps[step].from & BIT(l.state))) {
		*why = steps[step].not_now;
		rc = CS_REFUSED;
	}
	if (rc == CS_OK)
		rc = returns_move(db, by, &l, steps[step].to, note,
		    step == RSTEP_REJECT || step == RSTEP_CANCEL);
	return db_end(db, rc);
}

const char *
returns_photos_refused(const struct ticket_file *photos, size_t n)
{
	const char *why, *type;
	size_t i;

	if (n > RETURN_PHOTOS_MAX)
		return "Attach at most 5 photos.";
	for (i = 0; i < n; i++) {
		if ((why = ticket_file_refused(&photos[i])) != NULL)
			return why;
		type = ticket_file_type(photos[i].filename);
		if (type == NULL || strncmp(type, "image/", 6) != 0)
			return "Photos must be images (PNG, JPEG, GIF, WebP or HEIC).";
	}
	return NULL;
}

enum cs_result
returns_photos_store(struct db *db, long long return_id, const char *stage,
    const struct ticket_file *photos, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char id[24], size[24], name[1024];
		unsigned char sha[crypto_hash_sha256_BYTES];
		const char *p[] = { id, stage, name, NULL, size, (const char *)sha,
			(const char *)photos[i].data };
		int len[] = { 0, 0, 0, 0, 0, (int)sizeof(sha), (int)photos[i].len };
		int fmt[] = { 0, 0, 0, 0, 0, 1, 1 };
		PGresult *r;

		snprintf(id, sizeof(id), "%lld", return_id);
		snprintf(size, sizeof(size), "%zu", photos[i].len);
		/* As tickets store names: nothing that would show it as another. */
		text_line_clean(name, sizeof(name), photos[i].filename);
		p[3] = ticket_file_type(name);
		crypto_hash_sha256(sha, photos[i].data, photos[i].len);
		if ((r = db_exec_bin(db, &stmts[ST_PHOTO], p, len, fmt)) == NULL)
			return db_result(db);
		PQclear(r);
	}
	return CS_OK;
}
