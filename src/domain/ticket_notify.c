/* ticket_notify.c — see ticket_notify.h. */
#include "domain/ticket_notify.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/notify.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

#define TICKET_COLS(X) \
	X(TN, number, "t.number") X(TN, subject, "t.subject") X(TN, requester, "u.id") \
	X(TN, name, "u.name") X(TN, email, "u.email")
enum { DB_COL_ENUM(TICKET_COLS) };

#define STAFF_COLS(X) X(SR, id, "staff_id") X(SR, name, "name") X(SR, email, "email")
enum { DB_COL_ENUM(STAFF_COLS) };

enum stmt {
	ST_TICKET,
	ST_STAFF,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* Under the portal's role, row-level security keeps this to its customer. */
	[ST_TICKET] = DB_STMT("ticket_notify_ticket",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t"
	    " LEFT JOIN portal_users u ON u.id = t.requester_id AND u.active"
	    " WHERE t.id = $1", 1),
	[ST_STAFF] = DB_STMT("ticket_notify_staff",
	    "SELECT " DB_COLS(STAFF_COLS) " FROM ticket_staff_recipients($1, $2)", 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

/* Set once before the process serves anything; read-only afterwards. */
static struct {
	const struct tmpl_set *set;
	const char *site_name;
	const char *base_url;
} env;

void
ticket_notify_setup(const struct tmpl_set *set, const char *site_name, const char *base_url)
{
	env.set = set;
	env.site_name = site_name;
	env.base_url = base_url;
}

/* What every message of one ticket says. */
struct notice {
	const char *name;		/* template and kind */
	const char *body;		/* a comment's text, or NULL */
	int days;			/* auto-close: after how many days */
	struct tval *ctx;
};

/*
 * A comment's text as paragraphs (split at blank lines), so that the HTML
 * part can show them as <p> without trusting any markup in them.
 */
static struct tval *
paragraphs(struct arena *a, const char *body)
{
	struct tval *list = tval_list(a);
	const char *p = body;

	if (list == NULL)
		return NULL;
	while (*p != '\0') {
		const char *end = strstr(p, "\n\n"), *crlf = strstr(p, "\r\n\r\n");
		size_t len, skip;

		if (crlf != NULL && (end == NULL || crlf < end)) {
			end = crlf;
			skip = 4;
		} else {
			skip = 2;
		}
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (strspn(p, " \t\r\n") < len && tval_push(a, list, tval_strn(a, p, len)) < 0)
			return NULL;
		if (end == NULL)
			break;
		p = end + skip;
	}
	return list;
}

/*
 * Loads the ticket and builds the context every message shares: site.name,
 * ticket.number, ticket.subject, body (paragraphs) and days. Sets
 * *requester (0: none to tell), *name and *email. 0, 1 (no such ticket
 * visible: nothing to do) or -1.
 */
static int
prepare(struct db *db, struct arena *a, long long ticket_id, struct notice *n,
    long long *requester, const char **name, const char **email, const char **number)
{
	char id[24];
	const char *p[] = { id };
	struct tval *site, *ticket;
	PGresult *r;
	int failed = 0, rc;

	snprintf(id, sizeof(id), "%lld", ticket_id);
	if ((r = db_exec(db, &stmts[ST_TICKET], p)) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 1;
	}
	*number = db_str(a, r, 0, TN_number, &failed);
	*requester = db_ll(r, 0, TN_requester);
	*name = db_str(a, r, 0, TN_name, &failed);
	*email = db_str(a, r, 0, TN_email, &failed);
	n->ctx = tval_map(a);
	site = tval_map(a);
	ticket = tval_map(a);
	rc = failed || n->ctx == NULL || site == NULL || ticket == NULL;
	if (!rc) {
		rc |= tval_set_str(a, site, "name", env.site_name);
		rc |= tval_set(a, n->ctx, "site", site);
		rc |= tval_set_str(a, ticket, "number", *number);
		rc |= tval_set(a, ticket, "subject", tval_strdup(a, PQgetvalue(r, 0, TN_subject)));
		rc |= tval_set(a, n->ctx, "ticket", ticket);
		rc |= tval_set_int(a, n->ctx, "days", n->days);
		if (n->body != NULL)
			rc |= tval_set(a, n->ctx, "body", paragraphs(a, n->body));
	}
	PQclear(r);
	return rc ? log_fail("ticket_notify: out of memory") : 0;
}

/* Queues n to one person: name and address, and the page to link to. */
static int
queue_one(struct db *db, struct arena *a, const struct notice *n, const char *name,
    const char *email, const char *path)
{
	struct tval *who = tval_map(a);

	if (!notify_address_ok(email)) {
		log_warn("ticket_notify: %s: a recipient has no usable address; not sent",
		    n->name);
		return 0;
	}
	if (who == NULL || tval_set_str(a, who, "name", name) < 0 ||
	    tval_set(a, n->ctx, "recipient", who) < 0 || tval_set(a, n->ctx, "user", who) < 0 ||
	    tval_set(a, n->ctx, "link", tval_str(a, arena_printf(a, "%s%s", env.base_url,
	    path))) < 0)
		return log_fail("ticket_notify: out of memory");
	return notify_enqueue(db, env.set, a, n->name, email, n->name, n->ctx) == CS_OK ? 0 : -1;
}

/* Whether mail is on in this process (ticket_notify_setup was called). */
static int
enabled(void)
{
	static int said;

	if (env.set != NULL)
		return 1;
	if (!said)
		log_warn("ticket_notify: no templates set up: tickets change without mail");
	said = 1;
	return 0;
}

/* Tells the ticket's requester, unless they made the change (by NULL: always). */
static int
to_requester(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct notice *n)
{
	const char *name, *email, *number;
	long long requester;
	int rc;

	if (!enabled())
		return 0;
	rc = prepare(db, a, ticket_id, n, &requester, &name, &email, &number);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (requester == 0 || (by != NULL && by->kind == TA_CUSTOMER && by->id == requester))
		return 0;
	return queue_one(db, a, n, name, email, arena_printf(a, "/tickets/%s", number));
}

/* Tells the ticket's agent (or, with team, its queue's team), except by. */
static int
to_staff(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, int team, struct notice *n)
{
	const char *name, *email, *number, *path;
	char id[24];
	const char *p[] = { id, team ? "t" : "f" };
	long long requester;
	PGresult *r;
	int i, rc, failed = 0;

	if (!enabled())
		return 0;
	rc = prepare(db, a, ticket_id, n, &requester, &name, &email, &number);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	path = arena_printf(a, "/agent/tickets/%s", number);
	snprintf(id, sizeof(id), "%lld", ticket_id);
	if ((r = db_exec(db, &stmts[ST_STAFF], p)) == NULL)
		return -1;
	for (i = 0, rc = 0; i < PQntuples(r) && rc == 0; i++) {
		if (by != NULL && by->kind == TA_STAFF && by->id == db_ll(r, i, SR_id))
			continue;
		name = db_str(a, r, i, SR_name, &failed);
		email = db_str(a, r, i, SR_email, &failed);
		rc = failed ? log_fail("ticket_notify: out of memory") :
		    queue_one(db, a, n, name, email, path);
	}
	PQclear(r);
	return rc;
}

int
ticket_notify_ready(void)
{
	return env.set != NULL;
}

int
ticket_notify_created(struct db *db, struct arena *a, long long ticket_id)
{
	struct notice n = { "ticket_created", NULL, 0, NULL };

	return to_requester(db, a, NULL, ticket_id, &n);
}

int
ticket_notify_assigned(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id)
{
	struct notice n = { "ticket_assigned", NULL, 0, NULL };

	return to_staff(db, a, by, ticket_id, 0, &n);
}

int
ticket_notify_comment(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const char *kind, const char *body)
{
	struct notice staff = { "ticket_reply", body, 0, NULL };
	struct notice customer = { "ticket_customer_reply", body, 0, NULL };

	if (kind == NULL || strcmp(kind, "public") != 0)
		return 0;
	if (by->kind == TA_STAFF)
		return to_requester(db, a, by, ticket_id, &staff);
	if (by->kind == TA_CUSTOMER)
		return to_staff(db, a, by, ticket_id, 1, &customer);
	return 0;
}

int
ticket_notify_status(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, enum ticket_status to)
{
	struct notice n = { "ticket_resolved", NULL, 0, NULL };

	if (to != TS_RESOLVED)
		return 0;
	return to_requester(db, a, by, ticket_id, &n);
}

int
ticket_notify_auto_closed(struct db *db, struct arena *a, long long ticket_id, int days)
{
	struct notice n = { "ticket_auto_closed", NULL, days, NULL };

	return to_requester(db, a, NULL, ticket_id, &n);
}
