/* collab_panel.c — see collab_panel.h. */
#include "domain/collab_panel.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/ticket_collab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR(x) #x
#define XSTR(x) STR(x)
#define TTL "interval '" XSTR(COLLAB_PRESENCE_TTL) " seconds'"
#define HM(x) "coalesce(to_char(" x " AT TIME ZONE 'UTC', 'HH24:MI'), '')"

/*
 * The panel's columns: each a JSON array of rows, each row an array of
 * values in the order of its list's enum below (db_json_table); the
 * customer is a list of at most one row. Arrays rather than objects: the
 * page parses them on every view, and a row's keys were most of its text
 * and all of its hash tables.
 */
#define PANEL_COLS_(X, T, C) \
	X(PN, touched, "ticket_presence_touch(" T ", $2::bigint, " \
	    XSTR(COLLAB_PRESENCE_REFRESH) ", " XSTR(COLLAB_PRESENCE_TTL) ")") \
	X(PN, presence, \
	    "(SELECT coalesce(json_agg(json_build_array(s.name, " HM("p.since") \
	    ", coalesce(p.typing_at > now() - " TTL ", false), " \
	    HM("p.typing_since") ") ORDER BY p.since, s.name), '[]')" \
	    "  FROM ticket_presence p JOIN staff s ON s.id = p.staff_id" \
	    "  WHERE p.ticket_id = " T " AND p.staff_id <> $2::bigint" \
	    "  AND p.seen_at > now() - " TTL ")") \
	X(PN, links, \
	    "(SELECT coalesce(json_agg(json_build_array(x.id, x.number, x.subject, x.status," \
	    "  x.kind, x.outgoing) ORDER BY x.number), '[]') FROM" \
	    "  (SELECT o.id, o.number, o.subject, o.status, l.kind, true AS outgoing" \
	    "  FROM ticket_links l JOIN tickets o ON o.id = l.other_id WHERE l.ticket_id = " T \
	    "  UNION ALL SELECT o.id, o.number, o.subject, o.status, l.kind, false" \
	    "  FROM ticket_links l JOIN tickets o ON o.id = l.ticket_id" \
	    "  WHERE l.other_id = " T ") x)") \
	X(PN, time, \
	    "(SELECT coalesce(json_agg(json_build_array(x.name, x.minutes)" \
	    "  ORDER BY x.minutes DESC, x.name), '[]') FROM" \
	    "  (SELECT s.name, sum(m.minutes_spent) AS minutes FROM ticket_comments m" \
	    "  JOIN staff s ON s.id = m.author_staff_id" \
	    "  WHERE m.ticket_id = " T " AND m.minutes_spent > 0 GROUP BY s.id, s.name) x)") \
	X(PN, customer, \
	    "(SELECT json_build_array(json_build_array(c.name, c.kind, c.tier, c.language," \
	    "  coalesce(c.phone, ''), c.active," \
	    "  to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')," \
	    "  (SELECT coalesce(sum(open), 0) FROM fig)," \
	    "  (SELECT coalesce(sum(total), 0) FROM fig)))" \
	    "  FROM customers c WHERE c.id = " C ")") \
	X(PN, contacts, \
	    "(SELECT coalesce(json_agg(json_build_array(x.name, x.email, x.admin, x.active))," \
	    "  '[]') FROM (SELECT name, email," \
	    "  is_account_admin AS admin, active FROM portal_users WHERE customer_id = " C \
	    "  ORDER BY active DESC, is_account_admin DESC, lower(name), id" \
	    "  LIMIT " XSTR(COLLAB_CONTACTS_MAX) ") x)") \
	X(PN, products, \
	    "(SELECT coalesce(json_agg(json_build_array(x.name, x.sku, x.serials, x.tickets," \
	    "  x.last) ORDER BY x.latest DESC), '[]') FROM" \
	    "  (SELECT p.name, p.sku, coalesce(string_agg(f.serial, ', ' ORDER BY f.serial), '')" \
	    "  AS serials, sum(f.total) AS tickets, max(f.latest) AS latest," \
	    "  to_char(max(f.latest) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last" \
	    "  FROM fig f JOIN products p ON p.id = f.product_id WHERE f.total > 0" \
	    "  GROUP BY p.id, p.name, p.sku" \
	    "  ORDER BY max(f.latest) DESC LIMIT " XSTR(COLLAB_PRODUCTS_MAX) ") x)") \
	X(PN, sites, \
	    "(SELECT coalesce(json_agg(json_build_array(x.id, x.name, x.active) ORDER BY x.name)," \
	    "  '[]') FROM (SELECT s.id, s.name," \
	    "  s.active FROM customer_sites s WHERE s.customer_id = " C " AND (s.active" \
	    "  OR s.id = (SELECT site_id FROM tickets WHERE id = " T "))" \
	    "  ORDER BY s.id = (SELECT site_id FROM tickets WHERE id = " T ") DESC, s.name" \
	    "  LIMIT " XSTR(COLLAB_SITES_MAX) ") x)")
/* For the ticket numbered $1 (k: its id and customer, read once). */
#define PANEL_COLS(X) PANEL_COLS_(X, "k.tid", "k.cid")
enum { DB_COL_ENUM(PANEL_COLS) };

enum stmt { STMT_PANEL_NUMBER, STMT__MAX };

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
	/* No row when there is no such ticket (nor a presence written). */
	[STMT_PANEL_NUMBER] = DB_STMT("collab_panel_number",
	    "WITH k AS MATERIALIZED (SELECT id AS tid, customer_id AS cid FROM tickets"
	    "  WHERE number = $1::text),"
	    " fig AS (SELECT product_id, serial, sum(open) AS open, sum(total) AS total,"
	    "  max(latest) AS latest FROM customer_ticket_figures"
	    "  WHERE customer_id = (SELECT cid FROM k) GROUP BY product_id, serial)"
	    " SELECT " DB_COLS(PANEL_COLS) " FROM k", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* Each list's values, in the order its json_build_array gives them. */
enum { PR_name, PR_since, PR_typing, PR_typing_since, PR__N };
enum { LK_id, LK_number, LK_subject, LK_status, LK_kind, LK_outgoing, LK__N };
enum { TM_name, TM_minutes, TM__N };
enum { CU_name, CU_kind, CU_tier, CU_language, CU_phone, CU_active, CU_since, CU_open,
	CU_total, CU__N };
enum { CT_name, CT_email, CT_admin, CT_active, CT__N };
enum { PD_name, PD_sku, PD_serials, PD_tickets, PD_last, PD__N };
enum { ST_id, ST_name, ST_active, ST__N };

/* Reading the panel's lists: each a table of cells (db_json_table). */
struct jread {
	struct arena *a;
	const PGresult *r;
	int failed;
};

/* The cells of column col, ncols a row; *n rows. NULL for none. */
static const char **
jtable(struct jread *j, int col, size_t ncols, size_t *n)
{
	const char **cells = NULL;

	*n = 0;
	if (db_json_table(j->a, j->r, 0, col, ncols, &cells, n) != CS_OK) {
		j->failed = 1;
		*n = 0;
		return NULL;
	}
	return cells;
}

/* A cell as JSON's integer was read: digits, else 0. */
static long long
jnum(const char *cell)
{
	return strtoll(cell, NULL, 10);
}

/* A cell as JSON's true was read (db_json_table prints it "t"). */
static int
jbool(const char *cell)
{
	return cell[0] == 't' && cell[1] == '\0';
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
	struct jread j = { a, r, 0 };
	const char **c, *const *o;
	size_t i, n;

	memset(p, 0, sizeof(*p));
	if (r == NULL || PQntuples(r) != 1)
		return CS_FAILED;
	c = jtable(&j, PN_presence, PR__N, &n);
	p->presence = jrows(&j, n, sizeof(*p->presence), &p->npresence);
	for (i = 0; i < p->npresence; i++) {
		o = c + i * PR__N;
		p->presence[i].name = o[PR_name];
		p->presence[i].since = o[PR_since];
		p->presence[i].typing = jbool(o[PR_typing]);
		p->presence[i].typing_since = o[PR_typing_since];
	}
	c = jtable(&j, PN_links, LK__N, &n);
	p->links = jrows(&j, n, sizeof(*p->links), &p->nlinks);
	for (i = 0; i < p->nlinks; i++) {
		o = c + i * LK__N;
		p->links[i].id = jnum(o[LK_id]);
		p->links[i].number = o[LK_number];
		p->links[i].subject = o[LK_subject];
		p->links[i].status = o[LK_status];
		p->links[i].kind = o[LK_kind];
		p->links[i].outgoing = jbool(o[LK_outgoing]);
	}
	c = jtable(&j, PN_time, TM__N, &n);
	p->time = jrows(&j, n, sizeof(*p->time), &p->ntime);
	for (i = 0; i < p->ntime; i++) {
		o = c + i * TM__N;
		p->time[i].name = o[TM_name];
		p->time[i].minutes = jnum(o[TM_minutes]);
	}
	/* The customer row is NULL only when the customer is gone: an empty panel. */
	n = 0;
	c = PQgetisnull(r, 0, PN_customer) ? NULL : jtable(&j, PN_customer, CU__N, &n);
	if (n == 1) {
		cu->name = c[CU_name];
		cu->kind = c[CU_kind];
		cu->tier = c[CU_tier];
		cu->language = c[CU_language];
		cu->phone = c[CU_phone];
		cu->since = c[CU_since];
		cu->active = jbool(c[CU_active]);
		cu->open_tickets = jnum(c[CU_open]);
		cu->tickets = jnum(c[CU_total]);
	} else {
		cu->name = cu->kind = cu->tier = cu->language = cu->phone = cu->since = "";
	}
	if (cu->tickets > COLLAB_TICKETS_SCAN) {
		cu->tickets = COLLAB_TICKETS_SCAN;
		cu->tickets_more = 1;
	}
	c = jtable(&j, PN_contacts, CT__N, &n);
	cu->contacts = jrows(&j, n, sizeof(*cu->contacts), &cu->ncontacts);
	for (i = 0; i < cu->ncontacts; i++) {
		o = c + i * CT__N;
		cu->contacts[i].name = o[CT_name];
		cu->contacts[i].email = o[CT_email];
		cu->contacts[i].account_admin = jbool(o[CT_admin]);
		cu->contacts[i].active = jbool(o[CT_active]);
	}
	c = jtable(&j, PN_products, PD__N, &n);
	cu->products = jrows(&j, n, sizeof(*cu->products), &cu->nproducts);
	for (i = 0; i < cu->nproducts; i++) {
		o = c + i * PD__N;
		cu->products[i].name = o[PD_name];
		cu->products[i].sku = o[PD_sku];
		cu->products[i].serials = o[PD_serials];
		cu->products[i].tickets = jnum(o[PD_tickets]);
		cu->products[i].last = o[PD_last];
	}
	c = jtable(&j, PN_sites, ST__N, &n);
	cu->sites = jrows(&j, n, sizeof(*cu->sites), &cu->nsites);
	for (i = 0; i < cu->nsites; i++) {
		o = c + i * ST__N;
		cu->sites[i].id = jnum(o[ST_id]);
		cu->sites[i].name = o[ST_name];
		cu->sites[i].active = jbool(o[ST_active]);
	}
	if (j.failed) {
		memset(p, 0, sizeof(*p));
		return CS_FAILED;
	}
	return CS_OK;
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

enum cs_result
collab_panel(struct db *db, struct arena *a, const char *number, long long staff_id,
    struct collab_panel *p)
{
	struct db_pipe pipe;
	enum cs_result rc;
	int slot;

	memset(p, 0, sizeof(*p));
	db_pipe_init(&pipe);
	if ((slot = collab_panel_send_number(&pipe, a, number, staff_id)) < 0)
		rc = CS_FAILED;
	else if ((rc = db_pipe_run(db, &pipe)) == CS_OK)
		rc = collab_panel_take(&pipe, slot, a, p);
	db_pipe_release(&pipe);
	return rc;
}
