/* ticket_collab.c — see ticket_collab.h. */
#include "domain/ticket_collab.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/mentions.h"
#include "domain/notify.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define STR(x) #x
#define XSTR(x) STR(x)
#define REFRESH "interval '" XSTR(TC_PRESENCE_REFRESH) " seconds'"
#define TTL "interval '" XSTR(TC_PRESENCE_TTL) " seconds'"
#define HM(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'HH24:MI'), '')"

/* An event on one ticket by a staff member: $1 ticket, $2 staff, $3 field, $4 old, $5 new. */
#define EVENT_SQL "INSERT INTO ticket_events (ticket_id, actor_kind, actor_id, field, old_value," \
	" new_value) VALUES ($1::bigint, 'staff', $2::bigint, $3, $4, $5)"

enum stmt {
	STMT_PANEL,
	STMT_TYPING,
	STMT_TYPING_END,
	STMT_FIND,
	STMT_NUMBER,
	STMT_LINKED,
	STMT_LINK,
	STMT_UNLINK,
	STMT_TOUCH,
	STMT_EVENT,
	STMT_MERGE,
	STMT_REQUESTER,
	STMT_COLLEAGUES,
	STMT__MAX
};

static struct db_stmt stmts[] = {
	/*
	 * The page's one statement. The presence row is written only when
	 * missing or older than REFRESH, so most views write nothing; a row
	 * older than TTL starts a new stretch ("since" moves on). The
	 * customer's counts and products look at their latest SCAN tickets
	 * (the tickets_customer index), never their whole history.
	 */
	[STMT_PANEL] = DB_STMT("collab_panel",
	    "WITH me AS (SELECT seen_at FROM ticket_presence"
	    "  WHERE ticket_id = $1::bigint AND staff_id = $2::bigint),"
	    " up AS (INSERT INTO ticket_presence AS p (ticket_id, staff_id)"
	    "  SELECT $1::bigint, $2::bigint"
	    "  WHERE NOT EXISTS (SELECT 1 FROM me WHERE seen_at > now() - " REFRESH ")"
	    "  ON CONFLICT (ticket_id, staff_id) DO UPDATE SET seen_at = now(),"
	    "  since = CASE WHEN p.seen_at < now() - " TTL " THEN now() ELSE p.since END),"
	    " recent AS (SELECT status, product_id, serial, created_at FROM tickets"
	    "  WHERE customer_id = $3::bigint ORDER BY updated_at DESC, id DESC"
	    "  LIMIT " XSTR(COLLAB_TICKETS_SCAN) " + 1)"
	    " SELECT"
	    " (SELECT coalesce(json_agg(json_build_object('name', s.name, 'since', " HM("p.since")
	    ", 'typing', coalesce(p.typing_at > now() - " TTL ", false), 'typing_since', "
	    HM("p.typing_since") ") ORDER BY p.since, s.name), '[]')"
	    "  FROM ticket_presence p JOIN staff s ON s.id = p.staff_id"
	    "  WHERE p.ticket_id = $1::bigint AND p.staff_id <> $2::bigint"
	    "  AND p.seen_at > now() - " TTL "),"
	    " (SELECT coalesce(json_agg(x ORDER BY x.number), '[]') FROM"
	    "  (SELECT o.id, o.number, o.subject, o.status, l.kind, true AS outgoing"
	    "  FROM ticket_links l JOIN tickets o ON o.id = l.other_id WHERE l.ticket_id = $1::bigint"
	    "  UNION ALL SELECT o.id, o.number, o.subject, o.status, l.kind, false"
	    "  FROM ticket_links l JOIN tickets o ON o.id = l.ticket_id"
	    "  WHERE l.other_id = $1::bigint) x),"
	    " (SELECT coalesce(json_agg(x ORDER BY x.minutes DESC, x.name), '[]') FROM"
	    "  (SELECT s.name, sum(m.minutes_spent) AS minutes FROM ticket_comments m"
	    "  JOIN staff s ON s.id = m.author_staff_id"
	    "  WHERE m.ticket_id = $1::bigint AND m.minutes_spent > 0 GROUP BY s.id, s.name) x),"
	    " (SELECT row_to_json(x) FROM (SELECT c.name, c.kind, c.tier, c.language,"
	    "  coalesce(c.phone, '') AS phone, c.active,"
	    "  to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS since,"
	    "  (SELECT count(*) FROM recent WHERE ticket_is_open(status)) AS open,"
	    "  (SELECT count(*) FROM recent) AS total"
	    "  FROM customers c WHERE c.id = $3::bigint) x),"
	    " (SELECT coalesce(json_agg(x), '[]') FROM (SELECT name, email,"
	    "  is_account_admin AS admin, active FROM portal_users WHERE customer_id = $3::bigint"
	    "  ORDER BY active DESC, is_account_admin DESC, lower(name), id"
	    "  LIMIT " XSTR(COLLAB_CONTACTS_MAX) ") x),"
	    " (SELECT coalesce(json_agg(x ORDER BY x.latest DESC), '[]') FROM"
	    "  (SELECT p.name, p.sku, coalesce(string_agg(DISTINCT r.serial, ', '), '') AS serials,"
	    "  count(*) AS tickets, max(r.created_at) AS latest,"
	    "  to_char(max(r.created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last"
	    "  FROM recent r JOIN products p ON p.id = r.product_id GROUP BY p.id, p.name, p.sku"
	    "  ORDER BY max(r.created_at) DESC LIMIT " XSTR(COLLAB_PRODUCTS_MAX) ") x)", 3),
	[STMT_TYPING] = DB_STMT("collab_typing",
	    "INSERT INTO ticket_presence AS p (ticket_id, staff_id, typing_since, typing_at)"
	    " SELECT t.id, $2::bigint, now(), now() FROM tickets t WHERE t.number = $1"
	    " ON CONFLICT (ticket_id, staff_id) DO UPDATE SET seen_at = now(), typing_at = now(),"
	    " since = CASE WHEN p.seen_at < now() - " TTL " THEN now() ELSE p.since END,"
	    " typing_since = CASE WHEN p.typing_at IS NULL OR p.typing_at < now() - " TTL
	    " THEN now() ELSE p.typing_since END RETURNING 1", 2),
	[STMT_TYPING_END] = DB_STMT("collab_typing_end",
	    "UPDATE ticket_presence p SET typing_at = NULL, typing_since = NULL FROM tickets t"
	    " WHERE t.number = $1 AND p.ticket_id = t.id AND p.staff_id = $2::bigint"
	    " AND p.typing_at IS NOT NULL RETURNING 1", 2),
	[STMT_FIND] = DB_STMT("collab_find",
	    "SELECT id, number FROM tickets WHERE number = $1", 1),
	[STMT_NUMBER] = DB_STMT("collab_number",
	    "SELECT number FROM tickets WHERE id = $1::bigint", 1),
	[STMT_LINKED] = DB_STMT("collab_linked",
	    "SELECT 1 FROM ticket_links WHERE (ticket_id = $1::bigint AND other_id = $2::bigint)"
	    " OR (ticket_id = $2::bigint AND other_id = $1::bigint)", 2),
	/* Returns both numbers, for the events. */
	[STMT_LINK] = DB_STMT("collab_link",
	    "WITH i AS (INSERT INTO ticket_links (ticket_id, other_id, kind)"
	    "  VALUES ($1::bigint, $2::bigint, 'related') RETURNING 1)"
	    " SELECT t.number, o.number FROM tickets t, tickets o"
	    " WHERE t.id = $1::bigint AND o.id = $2::bigint AND EXISTS (SELECT 1 FROM i)", 2),
	/* Returns the other ticket's number, for the events. */
	[STMT_UNLINK] = DB_STMT("collab_unlink",
	    "WITH d AS (DELETE FROM ticket_links WHERE kind = 'related'"
	    "  AND ((ticket_id = $1::bigint AND other_id = $2::bigint)"
	    "  OR (ticket_id = $2::bigint AND other_id = $1::bigint)) RETURNING 1)"
	    " SELECT t.number, o.number FROM tickets t, tickets o"
	    " WHERE t.id = $1::bigint AND o.id = $2::bigint AND EXISTS (SELECT 1 FROM d)", 2),
	[STMT_TOUCH] = DB_STMT("collab_touch",
	    "UPDATE tickets SET version = version + 1, updated_at = now()"
	    " WHERE id = ANY (ARRAY[$1::bigint, $2::bigint]) RETURNING number", 2),
	[STMT_EVENT] = DB_STMT("collab_event", EVENT_SQL, 5),
	[STMT_MERGE] = DB_STMT("collab_merge",
	    "SELECT ticket_merge($1::bigint, $2::bigint, $3::bigint)", 3),
	[STMT_REQUESTER] = DB_STMT("collab_requester",
	    "SELECT u.name, u.email, t.number, t.subject FROM tickets t"
	    " JOIN portal_users u ON u.id = t.requester_id WHERE t.id = $1::bigint AND u.active", 1),
	[STMT_COLLEAGUES] = DB_STMT("collab_colleagues",
	    "SELECT s.id, s.name, s.email FROM staff s WHERE s.active AND s.id <> $2::bigint"
	    " AND split_part(s.email, '@', 1) = ANY ($1::text[]) ORDER BY s.id", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

struct num {
	char s[24];
};

static const char *
num(struct num *n, long long v)
{
	snprintf(n->s, sizeof(n->s), "%lld", v);
	return n->s;
}

static int
refuse(const char **why, const char *text)
{
	if (why != NULL)
		*why = text;
	return TICKET_REFUSED;
}

static int
event(struct db *db, long long ticket_id, long long staff_id, const char *field,
    const char *old_value, const char *new_value)
{
	struct num t, s;
	const char *p[] = { num(&t, ticket_id), num(&s, staff_id), field, old_value, new_value };

	return db_run(db, &stmts[STMT_EVENT], p);
}

int
collab_presence_typing(struct db *db, const char *number, long long staff_id, int typing)
{
	struct num s;
	const char *p[] = { number, num(&s, staff_id) };
	PGresult *r = db_exec(db, &stmts[typing ? STMT_TYPING : STMT_TYPING_END], p);
	int found;

	if (r == NULL)
		return -1;
	found = PQntuples(r) > 0;
	PQclear(r);
	/* Ending a stretch of writing that had none is no error. */
	return found || !typing ? 0 : TICKET_NOT_FOUND;
}

/* The id of the ticket called number: > 0, 0 when none, -1. */
static long long
find(struct db *db, const char *number)
{
	const char *p[] = { number };
	PGresult *r = db_exec(db, &stmts[STMT_FIND], p);
	long long id;

	if (r == NULL)
		return -1;
	id = PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;
	PQclear(r);
	return id;
}

/* Bumps both tickets' versions. 0 or -1. */
static int
touch_both(struct db *db, long long a_id, long long b_id)
{
	struct num x, y;
	const char *p[] = { num(&x, a_id), num(&y, b_id) };

	return db_run(db, &stmts[STMT_TOUCH], p);
}

/*
 * Runs STMT_LINK or STMT_UNLINK for ticket_id and other (params p) and
 * records the events on both sides, named by field. 1 done, 0 nothing
 * to do, -1.
 */
static int
link_change(struct db *db, enum stmt st, const char *const *p, long long staff_id,
    long long ticket_id, long long other, const char *field)
{
	PGresult *r = db_exec(db, &stmts[st], p);
	int added = st == STMT_LINK, rc = -1;

	if (r == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	/* Added: after is the other's number; removed: before is. */
	if (event(db, ticket_id, staff_id, field, added ? NULL : PQgetvalue(r, 0, 1),
	    added ? PQgetvalue(r, 0, 1) : NULL) == 0 &&
	    event(db, other, staff_id, field, added ? NULL : PQgetvalue(r, 0, 0),
	    added ? PQgetvalue(r, 0, 0) : NULL) == 0 &&
	    touch_both(db, ticket_id, other) == 0)
		rc = 1;
	PQclear(r);
	return rc;
}

int
collab_link_add(struct db *db, long long staff_id, long long ticket_id, const char *other_number,
    const char **why)
{
	struct num t, o;
	const char *p[2];
	long long other;
	PGresult *r;
	int rc = -1;

	if (db_begin(db) < 0)
		return -1;
	if ((other = find(db, other_number)) < 0)
		goto out;
	if (other == 0) {
		rc = refuse(why, "There is no ticket with that number.");
		goto out;
	}
	if (other == ticket_id) {
		rc = refuse(why, "A ticket cannot be linked to itself.");
		goto out;
	}
	p[0] = num(&t, ticket_id);
	p[1] = num(&o, other);
	if ((r = db_exec(db, &stmts[STMT_LINKED], p)) == NULL)
		goto out;
	rc = PQntuples(r) > 0 ? refuse(why, "These tickets are already linked.") : 0;
	PQclear(r);
	if (rc != 0)
		goto out;
	rc = link_change(db, STMT_LINK, p, staff_id, ticket_id, other, "link") == 1 ? 0 : -1;
out:
	if (rc == 0)
		return db_commit(db) < 0 ? -1 : 0;
	db_rollback(db);
	return rc;
}

int
collab_link_remove(struct db *db, long long staff_id, long long ticket_id, long long other_id)
{
	struct num t, o;
	const char *p[] = { num(&t, ticket_id), num(&o, other_id) };
	int rc;

	if (db_begin(db) < 0)
		return -1;
	rc = link_change(db, STMT_UNLINK, p, staff_id, ticket_id, other_id, "link");
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db) < 0)
		return -1;
	return rc == 1 ? 0 : TICKET_NOT_FOUND;
}

/* What ticket_merge's refusals mean to the agent. */
static const struct {
	const char *code, *why;
} merge_refusals[] = {
	{ "self", "A ticket cannot be merged into itself." },
	{ "not_found", "There is no ticket with that number." },
	{ "other_customer", "That ticket belongs to another customer: only a customer's own "
	    "tickets can be merged." },
	{ "target_closed", "That ticket is closed or cancelled: merge into an open one." },
	{ "source_closed", "This ticket is closed or cancelled already." },
};

/* Queues the "merged" mail to the target's requester, when it has one. 0 or -1. */
static int
merge_mail(struct db *db, const struct tmpl_set *set, struct arena *a, long long target_id,
    const char *source_number, struct tval *ctx, const char *portal_link)
{
	struct num t;
	const char *p[] = { num(&t, target_id) };
	struct tval *user = tval_map(a), *ticket = tval_map(a), *source = tval_map(a);
	PGresult *r;
	int rc = -1, failed = 0;

	if (user == NULL || ticket == NULL || source == NULL)
		return -1;
	if ((r = db_exec(db, &stmts[STMT_REQUESTER], p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;	/* nobody to tell by mail: the comment stays */
	}
	{
		const char *email = db_str(a, r, 0, 1, &failed);
		const char *number = db_str(a, r, 0, 2, &failed);
		int bad = tval_set_str(a, user, "name", db_str(a, r, 0, 0, &failed)) |
		    tval_set_str(a, ticket, "number", number) |
		    tval_set_str(a, ticket, "subject", db_str(a, r, 0, 3, &failed)) |
		    tval_set_str(a, source, "number", source_number) |
		    tval_set(a, ctx, "user", user) | tval_set(a, ctx, "ticket", ticket) |
		    tval_set(a, ctx, "source", source) |
		    tval_set_str(a, ctx, "link", arena_printf(a, "%s%s", portal_link, number));

		if (!bad && !failed)
			rc = notify_enqueue(db, set, a, "ticket_merged", email, "ticket_merged", ctx);
	}
	PQclear(r);
	return rc;
}

int
collab_merge(struct db *db, const struct tmpl_set *set, struct arena *a, long long staff_id,
    long long source_id, const char *target_number, struct tval *ctx, const char *portal_link,
    const char **target, const char **why)
{
	struct num s, t, by;
	const char *p[3], *source_number = NULL, *res;
	long long target_id;
	PGresult *r;
	size_t i;
	int rc = -1, failed = 0;

	*target = NULL;
	if (db_begin(db) < 0)
		return -1;
	if ((target_id = find(db, target_number)) < 0)
		goto out;
	if (target_id == 0) {
		rc = refuse(why, "There is no ticket with that number.");
		goto out;
	}
	p[0] = num(&s, source_id);
	p[1] = num(&t, target_id);
	p[2] = num(&by, staff_id);
	if ((r = db_exec(db, &stmts[STMT_MERGE], p)) == NULL)
		goto out;
	res = PQntuples(r) == 1 ? db_str(a, r, 0, 0, &failed) : NULL;
	PQclear(r);
	if (res == NULL || failed)
		goto out;
	if (strcmp(res, "merged") != 0) {
		rc = refuse(why, "The merge was refused.");
		for (i = 0; i < sizeof(merge_refusals) / sizeof(merge_refusals[0]); i++)
			if (strcmp(res, merge_refusals[i].code) == 0)
				*why = merge_refusals[i].why;
		goto out;
	}
	/* The source's number, for the mail. */
	if ((r = db_exec(db, &stmts[STMT_NUMBER], p)) == NULL)
		goto out;
	source_number = PQntuples(r) == 1 ? db_str(a, r, 0, 0, &failed) : NULL;
	PQclear(r);
	if (source_number == NULL || failed)
		goto out;
	if (merge_mail(db, set, a, target_id, source_number, ctx, portal_link) < 0)
		goto out;
	*target = arena_strdup(a, target_number);
	rc = 0;
out:
	if (rc == 0)
		return db_commit(db) < 0 ? -1 : 0;
	db_rollback(db);
	return rc;
}

int
collab_mentions_notify(struct db *db, const struct tmpl_set *set, struct arena *a,
    long long ticket_id, long long author_id, const char *author, const char *number,
    const char *subject, const char *body, struct tval *ctx, const char *link,
    size_t *notified)
{
	const char *handles[MENTIONS_MAX];
	struct num by;
	struct buf arr;
	struct tval *ticket = tval_map(a), *who = tval_map(a);
	size_t n, i;
	PGresult *r;
	int rows, k, bad, failed = 0;

	*notified = 0;
	n = mentions_parse(a, body, strlen(body), handles, MENTIONS_MAX);
	if (n == 0)
		return 0;
	/* Handles hold no quote or backslash (mention_char): safe quoted. */
	buf_init(&arr, a);
	buf_addch(&arr, '{');
	for (i = 0; i < n; i++)
		buf_printf(&arr, "%s\"%s\"", i ? "," : "", handles[i]);
	buf_addch(&arr, '}');
	if (buf_failed(&arr) || ticket == NULL || who == NULL)
		return -1;
	bad = tval_set_str(a, ticket, "number", number) |
	    tval_set_str(a, ticket, "subject", subject) |
	    tval_set_str(a, who, "name", author) | tval_set(a, ctx, "ticket", ticket) |
	    tval_set(a, ctx, "author", who) | tval_set_str(a, ctx, "note", body) |
	    tval_set_str(a, ctx, "link", link);
	if (bad)
		return -1;
	{
		const char *p[] = { arr.buf, num(&by, author_id) };

		if ((r = db_exec(db, &stmts[STMT_COLLEAGUES], p)) == NULL)
			return -1;
	}
	rows = PQntuples(r);
	for (k = 0; k < rows; k++) {
		struct tval *colleague = tval_map(a);
		const char *name = db_str(a, r, k, 1, &failed);
		const char *email = db_str(a, r, k, 2, &failed);

		if (colleague == NULL || failed ||
		    tval_set_str(a, colleague, "name", name) ||
		    tval_set(a, ctx, "colleague", colleague) ||
		    notify_enqueue(db, set, a, "ticket_mention", email, "ticket_mention", ctx) < 0 ||
		    event(db, ticket_id, author_id, "mention", NULL, name) < 0) {
			PQclear(r);
			return -1;
		}
		(*notified)++;
	}
	PQclear(r);
	return 0;
}

/* Reading the panel's JSON: each string copied into the arena. */
struct jread {
	struct arena *a;
	int failed;
};

static const char *
jstr(struct jread *j, json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	char *copy = arena_strdup(j->a, v != NULL ? v : "");

	if (copy == NULL)
		j->failed = 1;
	return copy != NULL ? copy : "";
}

static long long
jnum(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static int
jbool(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* A JSON array column, parsed (the caller decrefs); *n its size. */
static json_t *
jarray(struct jread *j, PGresult *r, int col, size_t *n)
{
	json_t *arr = json_loads(PQgetvalue(r, 0, col), 0, NULL);

	*n = 0;
	if (!json_is_array(arr)) {
		json_decref(arr);
		j->failed = 1;
		return NULL;
	}
	*n = json_array_size(arr);
	return arr;
}

/* Room for n rows of size in the arena; NULL for none (or out of memory: failed). */
static void *
jrows(struct jread *j, size_t n, size_t size, size_t *count)
{
	void *rows = n > 0 ? arena_calloc(j->a, n, size) : NULL;

	if (n > 0 && rows == NULL)
		j->failed = 1;
	*count = rows != NULL ? n : 0;
	return rows;
}

int
collab_panel(struct db *db, struct arena *a, long long ticket_id, long long staff_id,
    long long customer_id, struct collab_panel *p)
{
	struct num t, s, c;
	const char *params[] = { num(&t, ticket_id), num(&s, staff_id), num(&c, customer_id) };
	struct collab_customer *cu = &p->customer;
	struct jread j = { a, 0 };
	json_t *arr, *o;
	PGresult *r;
	size_t i, n;

	memset(p, 0, sizeof(*p));
	if ((r = db_exec(db, &stmts[STMT_PANEL], params)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return -1;
	}
	arr = jarray(&j, r, 0, &n);
	p->presence = jrows(&j, n, sizeof(*p->presence), &p->npresence);
	for (i = 0; i < p->npresence; i++) {
		o = json_array_get(arr, i);
		p->presence[i].name = jstr(&j, o, "name");
		p->presence[i].since = jstr(&j, o, "since");
		p->presence[i].typing = jbool(o, "typing");
		p->presence[i].typing_since = jstr(&j, o, "typing_since");
	}
	json_decref(arr);
	arr = jarray(&j, r, 1, &n);
	p->links = jrows(&j, n, sizeof(*p->links), &p->nlinks);
	for (i = 0; i < p->nlinks; i++) {
		o = json_array_get(arr, i);
		p->links[i].id = jnum(o, "id");
		p->links[i].number = jstr(&j, o, "number");
		p->links[i].subject = jstr(&j, o, "subject");
		p->links[i].status = jstr(&j, o, "status");
		p->links[i].kind = jstr(&j, o, "kind");
		p->links[i].outgoing = jbool(o, "outgoing");
	}
	json_decref(arr);
	arr = jarray(&j, r, 2, &n);
	p->time = jrows(&j, n, sizeof(*p->time), &p->ntime);
	for (i = 0; i < p->ntime; i++) {
		o = json_array_get(arr, i);
		p->time[i].name = jstr(&j, o, "name");
		p->time[i].minutes = jnum(o, "minutes");
	}
	json_decref(arr);
	/* The customer row is NULL only when the customer is gone: an empty panel. */
	o = PQgetisnull(r, 0, 3) ? NULL : json_loads(PQgetvalue(r, 0, 3), 0, NULL);
	cu->name = jstr(&j, o, "name");
	cu->kind = jstr(&j, o, "kind");
	cu->tier = jstr(&j, o, "tier");
	cu->language = jstr(&j, o, "language");
	cu->phone = jstr(&j, o, "phone");
	cu->since = jstr(&j, o, "since");
	cu->active = jbool(o, "active");
	cu->open_tickets = jnum(o, "open");
	cu->tickets = jnum(o, "total");
	if (cu->tickets > COLLAB_TICKETS_SCAN) {
		cu->tickets = COLLAB_TICKETS_SCAN;
		cu->tickets_more = 1;
	}
	json_decref(o);
	arr = jarray(&j, r, 4, &n);
	cu->contacts = jrows(&j, n, sizeof(*cu->contacts), &cu->ncontacts);
	for (i = 0; i < cu->ncontacts; i++) {
		o = json_array_get(arr, i);
		cu->contacts[i].name = jstr(&j, o, "name");
		cu->contacts[i].email = jstr(&j, o, "email");
		cu->contacts[i].account_admin = jbool(o, "admin");
		cu->contacts[i].active = jbool(o, "active");
	}
	json_decref(arr);
	arr = jarray(&j, r, 5, &n);
	cu->products = jrows(&j, n, sizeof(*cu->products), &cu->nproducts);
	for (i = 0; i < cu->nproducts; i++) {
		o = json_array_get(arr, i);
		cu->products[i].name = jstr(&j, o, "name");
		cu->products[i].sku = jstr(&j, o, "sku");
		cu->products[i].serials = jstr(&j, o, "serials");
		cu->products[i].tickets = jnum(o, "tickets");
		cu->products[i].last = jstr(&j, o, "last");
	}
	json_decref(arr);
	PQclear(r);
	if (j.failed) {
		memset(p, 0, sizeof(*p));
		return -1;
	}
	return 0;
}
