/* collab_panel.c — see collab_panel.h. */
#include "domain/collab_panel.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_collab.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define STR(x) #x
#define XSTR(x) STR(x)
#define TTL "interval '" XSTR(COLLAB_PRESENCE_TTL) " seconds'"
#define HM(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'HH24:MI'), '')"

/* The panel's columns: each a JSON array (the customer: an object). */
#define PANEL_COLS_(X, T, C) \
	X(PN, touched, "ticket_presence_touch(" T ", $2::bigint, " \
	    XSTR(COLLAB_PRESENCE_REFRESH) ", " XSTR(COLLAB_PRESENCE_TTL) ")") \
	X(PN, presence, \
	    "(SELECT coalesce(json_agg(json_build_object('name', s.name, 'since', " HM("p.since") \
	    ", 'typing', coalesce(p.typing_at > now() - " TTL ", false), 'typing_since', " \
	    HM("p.typing_since") ") ORDER BY p.since, s.name), '[]')" \
	    "  FROM ticket_presence p JOIN staff s ON s.id = p.staff_id" \
	    "  WHERE p.ticket_id = " T " AND p.staff_id <> $2::bigint" \
	    "  AND p.seen_at > now() - " TTL ")") \
	X(PN, links, \
	    "(SELECT coalesce(json_agg(x ORDER BY x.number), '[]') FROM" \
	    "  (SELECT o.id, o.number, o.subject, o.status, l.kind, true AS outgoing" \
	    "  FROM ticket_links l JOIN tickets o ON o.id = l.other_id WHERE l.ticket_id = " T \
	    "  UNION ALL SELECT o.id, o.number, o.subject, o.status, l.kind, false" \
	    "  FROM ticket_links l JOIN tickets o ON o.id = l.ticket_id" \
	    "  WHERE l.other_id = " T ") x)") \
	X(PN, time, \
	    "(SELECT coalesce(json_agg(x ORDER BY x.minutes DESC, x.name), '[]') FROM" \
	    "  (SELECT s.name, sum(m.minutes_spent) AS minutes FROM ticket_comments m" \
	    "  JOIN staff s ON s.id = m.author_staff_id" \
	    "  WHERE m.ticket_id = " T " AND m.minutes_spent > 0 GROUP BY s.id, s.name) x)") \
	X(PN, customer, \
	    "(SELECT row_to_json(x) FROM (SELECT c.name, c.kind, c.tier, c.language," \
	    "  coalesce(c.phone, '') AS phone, c.active," \
	    "  to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS since," \
	    "  (SELECT coalesce(sum(open), 0) FROM fig) AS open," \
	    "  (SELECT coalesce(sum(total), 0) FROM fig) AS total" \
	    "  FROM customers c WHERE c.id = " C ") x)") \
	X(PN, contacts, \
	    "(SELECT coalesce(json_agg(x), '[]') FROM (SELECT name, email," \
	    "  is_account_admin AS admin, active FROM portal_users WHERE customer_id = " C \
	    "  ORDER BY active DESC, is_account_admin DESC, lower(name), id" \
	    "  LIMIT " XSTR(COLLAB_CONTACTS_MAX) ") x)") \
	X(PN, products, \
	    "(SELECT coalesce(json_agg(x ORDER BY x.latest DESC), '[]') FROM" \
	    "  (SELECT p.name, p.sku, coalesce(string_agg(f.serial, ', ' ORDER BY f.serial), '')" \
	    "  AS serials, sum(f.total) AS tickets, max(f.latest) AS latest," \
	    "  to_char(max(f.latest) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last" \
	    "  FROM fig f JOIN products p ON p.id = f.product_id WHERE f.total > 0" \
	    "  GROUP BY p.id, p.name, p.sku" \
	    "  ORDER BY max(f.latest) DESC LIMIT " XSTR(COLLAB_PRODUCTS_MAX) ") x)") \
	X(PN, sites, \
	    "(SELECT coalesce(json_agg(x ORDER BY x.name), '[]') FROM (SELECT s.id, s.name," \
	    "  s.active FROM customer_sites s WHERE s.customer_id = " C " AND (s.active" \
	    "  OR s.id = (SELECT site_id FROM tickets WHERE id = " T "))" \
	    "  ORDER BY s.id = (SELECT site_id FROM tickets WHERE id = " T ") DESC, s.name" \
	    "  LIMIT " XSTR(COLLAB_SITES_MAX) ") x)")
/* By the ids given ($1 the ticket, $3 its customer), or for the ticket
 * numbered $1 (k: its id and customer, read once). */
#define PANEL_COLS(X) PANEL_COLS_(X, "$1::bigint", "$3::bigint")
#define PANEL_COLS_NUMBER(X) PANEL_COLS_(X, "k.tid", "k.cid")
enum { DB_COL_ENUM(PANEL_COLS) };

enum stmt { STMT_PANEL, STMT_PANEL_NUMBER, STMT__MAX };

static struct db_stmt stmts[] = {
	/*
	 * The page's one statement. The presence row is written only when
	 * missing or older than REFRESH, so most views write nothing; a row
	 * older than TTL starts a new stretch ("since" moves on): the
	 * function reads before it writes (350_ticket_page.sql). The
	 * customer's counts and products are summed from the rows the
	 * tickets' triggers keep per customer, product and serial
	 * (customer_ticket_figures, 056), never from the tickets.
	 */
	[STMT_PANEL] = DB_STMT("collab_panel",
	    "WITH fig AS (SELECT product_id, serial, sum(open) AS open, sum(total) AS total,"
	    "  max(latest) AS latest FROM customer_ticket_figures WHERE customer_id = $3::bigint"
	    "  GROUP BY product_id, serial)"
	    " SELECT " DB_COLS(PANEL_COLS), 3),
	/* The same for the ticket numbered $1: no row when there is none
	 * (nor a presence written). */
	[STMT_PANEL_NUMBER] = DB_STMT("collab_panel_number",
	    "WITH k AS MATERIALIZED (SELECT id AS tid, customer_id AS cid FROM tickets"
	    "  WHERE number = $1::text),"
	    " fig AS (SELECT product_id, serial, sum(open) AS open, sum(total) AS total,"
	    "  max(latest) AS latest FROM customer_ticket_figures"
	    "  WHERE customer_id = (SELECT cid FROM k) GROUP BY product_id, serial)"
	    " SELECT " DB_COLS(PANEL_COLS_NUMBER) " FROM k", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

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
jarray(struct jread *j, const PGresult *r, int col, size_t *n)
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

/* The panel from the statement's one row. CS_OK or CS_FAILED. */
static enum cs_result
read_panel(struct arena *a, const PGresult *r, struct collab_panel *p)
{
	struct collab_customer *cu = &p->customer;
	struct jread j = { a, 0 };
	json_t *arr, *o;
	size_t i, n;

	memset(p, 0, sizeof(*p));
	if (r == NULL || PQntuples(r) != 1)
		return CS_FAILED;
	arr = jarray(&j, r, PN_presence, &n);
	p->presence = jrows(&j, n, sizeof(*p->presence), &p->npresence);
	for (i = 0; i < p->npresence; i++) {
		o = json_array_get(arr, i);
		p->presence[i].name = jstr(&j, o, "name");
		p->presence[i].since = jstr(&j, o, "since");
		p->presence[i].typing = jbool(o, "typing");
		p->presence[i].typing_since = jstr(&j, o, "typing_since");
	}
	json_decref(arr);
	arr = jarray(&j, r, PN_links, &n);
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
	arr = jarray(&j, r, PN_time, &n);
	p->time = jrows(&j, n, sizeof(*p->time), &p->ntime);
	for (i = 0; i < p->ntime; i++) {
		o = json_array_get(arr, i);
		p->time[i].name = jstr(&j, o, "name");
		p->time[i].minutes = jnum(o, "minutes");
	}
	json_decref(arr);
	/* The customer row is NULL only when the customer is gone: an empty panel. */
	o = PQgetisnull(r, 0, PN_customer) ? NULL :
	    json_loads(PQgetvalue(r, 0, PN_customer), 0, NULL);
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
	arr = jarray(&j, r, PN_contacts, &n);
	cu->contacts = jrows(&j, n, sizeof(*cu->contacts), &cu->ncontacts);
	for (i = 0; i < cu->ncontacts; i++) {
		o = json_array_get(arr, i);
		cu->contacts[i].name = jstr(&j, o, "name");
		cu->contacts[i].email = jstr(&j, o, "email");
		cu->contacts[i].account_admin = jbool(o, "admin");
		cu->contacts[i].active = jbool(o, "active");
	}
	json_decref(arr);
	arr = jarray(&j, r, PN_products, &n);
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
	arr = jarray(&j, r, PN_sites, &n);
	cu->sites = jrows(&j, n, sizeof(*cu->sites), &cu->nsites);
	for (i = 0; i < cu->nsites; i++) {
		o = json_array_get(arr, i);
		cu->sites[i].id = jnum(o, "id");
		cu->sites[i].name = jstr(&j, o, "name");
		cu->sites[i].active = jbool(o, "active");
	}
	json_decref(arr);
	if (j.failed) {
		memset(p, 0, sizeof(*p));
		return CS_FAILED;
	}
	return CS_OK;
}

/* The statement's parameters in the arena; NULL when out of memory. */
static const char **
panel_params(struct arena *a, long long ticket_id, long long staff_id, long long customer_id)
{
	const char **params = arena_calloc(a, 3, sizeof(*params));

	if (params == NULL)
		return NULL;
	params[0] = db_param_ll(a, ticket_id);
	params[1] = db_param_ll(a, staff_id);
	params[2] = db_param_ll(a, customer_id);
	return params[0] == NULL || params[1] == NULL || params[2] == NULL ? NULL : params;
}

enum cs_result
collab_panel(struct db *db, struct arena *a, long long ticket_id, long long staff_id,
    long long customer_id, struct collab_panel *p)
{
	const char **params = panel_params(a, ticket_id, staff_id, customer_id);
	PGresult *r;
	enum cs_result rc;

	memset(p, 0, sizeof(*p));
	if (params == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[STMT_PANEL], params)) == NULL)
		return db_result(db);
	rc = read_panel(a, r, p);
	PQclear(r);
	return rc;
}

int
collab_panel_send(struct db_pipe *pipe, struct arena *a, long long ticket_id,
    long long staff_id, long long customer_id)
{
	const char **params = panel_params(a, ticket_id, staff_id, customer_id);

	return params == NULL ? -1 : db_pipe_add(pipe, &stmts[STMT_PANEL], params);
}

int
collab_panel_send_number(struct db_pipe *pipe, struct arena *a, const char *number,
    long long staff_id)
{
	const char **params = arena_calloc(a, 2, sizeof(*params));

	if (params == NULL || (params[1] = db_param_ll(a, staff_id)) == NULL)
		return -1;
	params[0] = number;
	return db_pipe_add(pipe, &stmts[STMT_PANEL_NUMBER], params);
}

enum cs_result
collab_panel_take(const struct db_pipe *pipe, int slot, struct arena *a, struct collab_panel *p)
{
	return read_panel(a, db_pipe_result(pipe, slot), p);
}
