/* ticket_notify.c — see ticket_notify.h. */
#include "domain/ticket_notify.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/canned.h"
#include "domain/kb_auto_answer.h"
#include "domain/notify.h"
#include "domain/portal_users.h"
#include "domain/tickets.h"
#include "tmpl/tval.h"

#include <stdio.h>
#include <string.h>

#define TICKET_COLS(X) \
	X(TN, number, "t.number") X(TN, subject, "t.subject") X(TN, requester, "u.id") \
	X(TN, name, "u.name") X(TN, email, "u.email") \
	X(TN, invite, "u.id IS NOT NULL AND u.password_hash IS NULL")
enum { DB_COL_ENUM(TICKET_COLS) };

#define STAFF_COLS(X) X(SR, id, "staff_id") X(SR, name, "name") X(SR, email, "email")
enum { DB_COL_ENUM(STAFF_COLS) };

#define PEOPLE_COLS(X) \
	X(PP, id, "s.id") X(PP, name, "s.name") X(PP, email, "s.email") X(PP, active, "s.active")
enum { DB_COL_ENUM(PEOPLE_COLS) };

enum stmt {
	ST_TICKET,
	ST_STAFF,
	ST_PEOPLE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	/* Under the portal's role, row-level security keeps this to its customer. */
	[ST_TICKET] = DB_STMT("ticket_notify_ticket",
	    "SELECT " DB_COLS(TICKET_COLS) " FROM tickets t"
	    " LEFT JOIN portal_users u ON u.id = t.requester_id AND u.active"
	    " WHERE t.id = $1", 1),
	/* $3: the notification choice the mail is (staff_wants_mail), or NULL. */
	[ST_STAFF] = DB_STMT("ticket_notify_staff",
	    "SELECT " DB_COLS(STAFF_COLS) " FROM ticket_staff_recipients($1, $2)"
	    " WHERE staff_wants_mail(staff_id, $3)", 3),
	/* Staff named by an event (the consumer runs as the owner); those
	 * who turned this mail off ($2) are left out, but for the author
	 * ($1's first id, whose name the mail may need). */
	[ST_PEOPLE] = DB_STMT("ticket_notify_people",
	    "SELECT " DB_COLS(PEOPLE_COLS) " FROM staff s WHERE s.id = ANY ($1::bigint[])"
	    " AND (s.id = ($1::bigint[])[1] OR staff_wants_mail(s.id, $2)) ORDER BY s.id", 2),
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

void
ticket_notify_env(const struct tmpl_set **set, const char **site_name, const char **base_url)
{
	*set = env.set;
	*site_name = env.site_name;
	*base_url = env.base_url;
}

/* What every message of one ticket says. */
struct notice {
	const char *name;		/* template and kind */
	const char *body;		/* a comment's text, as paragraphs, or NULL */
	int days;			/* auto-close: after how many days */
	const char *source;		/* merged: the duplicate's number, or NULL */
	const char *note;		/* a mention: the note as written, or NULL */
	const char *target;		/* at risk: the SLA target's name, or NULL */
	long long ticket_id;		/* the mail's thread (set by load_notice) */
	const char *intro;		/* a template the mail opens with, or NULL */
	/* To staff: the notification choice this mail is ("assigned",
	 * "replied", "at_risk": staff_prefs.h), or NULL when it is no choice. */
	const char *wants;
	int kb_answer;			/* offer a low-priority ticket's answer (kb_auto_answer.h) */
	struct tval *ctx;
};

/* A failure on the way: the database's result, or CS_FAILED when out of memory. */
static enum cs_result
failure(struct db *db)
{
	if (db_lost(db))
		return CS_DB_LOST;
	return CS_FAILED;
}

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

/* The ticket's requester (id 0: none to tell) and number. */
struct requester {
	long long id;
	const char *name, *email, *number;
	int invite;			/* a contact without a password yet */
};

/*
 * The automatic reply's text, rendered on ticket.number, ticket.subject
 * and customer.name, as paragraphs ("intro"). A text that does not render
 * (the admin page refuses those) is left out rather than stopping the mail.
 */
static int
intro(struct arena *a, struct notice *n, struct tval *ticket, const struct requester *who)
{
	struct tval *ctx = tval_map(a), *customer = tval_map(a);
	const char *text;

	if (ctx == NULL || customer == NULL || tval_set(a, ctx, "ticket", ticket) < 0 ||
	    tval_set_str(a, customer, "name", who->name) < 0 ||
	    tval_set(a, ctx, "customer", customer) < 0)
		return -1;
	if ((text = canned_render(a, n->intro, ctx)) == NULL) {
		log_warn("ticket_notify: the automatic reply's text does not render; left out");
		return 0;
	}
	return tval_set(a, n->ctx, "intro", paragraphs(a, text));
}

/*
 * Loads the ticket and builds the context every message shares: site.name,
 * ticket.number, ticket.subject, body (paragraphs), days, note and
 * source.number.
 * CS_OK, CS_NOT_FOUND (no such ticket visible: nothing to do) or the failure.
 */
static enum cs_result
load_notice(struct db *db, struct arena *a, long long ticket_id, struct notice *n,
    struct requester *who)
{
	char id[24];
	const char *p[] = { id };
	struct tval *site, *ticket, *source = NULL;
	PGresult *r;
	int failed = 0, rc;

	snprintf(id, sizeof(id), "%lld", ticket_id);
	if ((r = db_exec(db, &stmts[ST_TICKET], p)) == NULL)
		return failure(db);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return CS_NOT_FOUND;
	}
	who->number = db_str(a, r, 0, TN_number, &failed);
	who->id = db_ll(r, 0, TN_requester);
	who->name = db_str(a, r, 0, TN_name, &failed);
	who->email = db_str(a, r, 0, TN_email, &failed);
	who->invite = db_bool(r, 0, TN_invite);
	n->ticket_id = ticket_id;
	n->ctx = tval_map(a);
	site = tval_map(a);
	ticket = tval_map(a);
	if (n->source != NULL)
		source = tval_map(a);
	rc = failed || n->ctx == NULL || site == NULL || ticket == NULL ||
	    (n->source != NULL && source == NULL);
	if (!rc) {
		rc |= tval_set_str(a, site, "name", env.site_name);
		rc |= tval_set(a, n->ctx, "site", site);
		rc |= tval_set_str(a, ticket, "number", who->number);
		rc |= tval_set(a, ticket, "subject", tval_strdup(a, PQgetvalue(r, 0, TN_subject)));
		rc |= tval_set(a, n->ctx, "ticket", ticket);
		rc |= tval_set_int(a, n->ctx, "days", n->days);
		if (n->body != NULL)
			rc |= tval_set(a, n->ctx, "body", paragraphs(a, n->body));
		if (n->note != NULL)
			rc |= tval_set_str(a, n->ctx, "note", n->note);
		if (n->target != NULL)
			rc |= tval_set_str(a, n->ctx, "target", n->target);
		if (n->intro != NULL && n->intro[0] != '\0')
			rc |= intro(a, n, ticket, who);
		if (source != NULL)
			rc |= tval_set_str(a, source, "number", n->source) |
			    tval_set(a, n->ctx, "source", source);
	}
	PQclear(r);
	return rc ? log_failed("ticket_notify: out of memory") : CS_OK;
}

/*
 * Queues n to one person: name and address, and the page to link to. The
 * templates call the person recipient, user (customers) or colleague
 * (mentions).
 */
static enum cs_result
queue_one(struct db *db, struct arena *a, const struct notice *n, const char *name,
    const char *email, const char *path)
{
	struct tval *who = tval_map(a);

	if (!notify_address_ok(email)) {
		log_warn("ticket_notify: %s: a recipient has no usable address; not sent",
		    n->name);
		return CS_OK;
	}
	if (who == NULL || tval_set_str(a, who, "name", name) < 0 ||
	    tval_set(a, n->ctx, "recipient", who) < 0 || tval_set(a, n->ctx, "user", who) < 0 ||
	    tval_set(a, n->ctx, "colleague", who) < 0 ||
	    tval_set(a, n->ctx, "link", tval_str(a, arena_printf(a, "%s%s", env.base_url,
	    path))) < 0)
		return log_failed("ticket_notify: out of memory");
	/* A person's reply is not automatic: no Auto-Submitted on it. */
	return notify_enqueue_ticket(db, env.set, a, n->name, email, n->name, n->ctx,
	    n->ticket_id, strcmp(n->name, "ticket_reply") != 0) != CS_OK ? failure(db) : CS_OK;
}

/*
 * A contact made from a mail or the API has no password yet: its link is
 * an invitation that sets one (and proves the mailbox), valid a week.
 */
static enum cs_result
invite_one(struct db *db, struct arena *a, const struct notice *n, const struct requester *who)
{
	const char *token, *name, *to;
	enum cs_result rc = portal_link_issue(db, a, "invite", NULL, who->id,
	    TICKET_NOTIFY_INVITE_SECONDS, &token, &name, &to);

	if (rc == CS_NOT_FOUND)
		return CS_OK;
	if (rc != CS_OK)
		return failure(db);
	if (tval_set_int(a, n->ctx, "invite", 1) < 0)
		return CS_FAILED;
	return queue_one(db, a, n, who->name, who->email, arena_printf(a,
	    "/password/reset?token=%s", token));
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
static enum cs_result
to_requester(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct notice *n)
{
	struct requester who;
	enum cs_result rc;

	if (!enabled())
		return CS_OK;
	rc = load_notice(db, a, ticket_id, n, &who);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? CS_OK : rc;
	if (who.id == 0 || (by != NULL && by->kind == TA_CUSTOMER && by->id == who.id))
		return CS_OK;
	/* The articles go in the acknowledgement itself, not in a mail of their own. */
	if (n->kb_answer && notify_address_ok(who.email)) {
		int offered;

		if ((rc = kb_auto_answer_offer(db, a, env.base_url, ticket_id, n->ctx,
		    &offered)) != CS_OK)
			return rc;
	}
	if (who.invite)
		return invite_one(db, a, n, &who);
	return queue_one(db, a, n, who.name, who.email, arena_printf(a, "/tickets/%s",
	    who.number));
}

/* Whether by is the staff member id. */
static int
is_by(const struct ticket_actor_ref *by, long long id)
{
	return by != NULL && by->kind == TA_STAFF && by->id == id;
}

/*
 * Tells the ticket's agent, or (team set) its queue's team when it has
 * none, except by, and those who turned n's kind of mail off.
 */
static enum cs_result
to_team(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, struct notice *n, int team)
{
	struct requester who;
	const char *path;
	char id[24];
	const char *p[] = { id, team ? "t" : "f", n->wants };
	PGresult *r;
	int i, failed = 0;
	enum cs_result rc;

	if (!enabled())
		return CS_OK;
	rc = load_notice(db, a, ticket_id, n, &who);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? CS_OK : rc;
	path = arena_printf(a, "/agent/tickets/%s", who.number);
	snprintf(id, sizeof(id), "%lld", ticket_id);
	if ((r = db_exec(db, &stmts[ST_STAFF], p)) == NULL)
		return failure(db);
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		const char *name, *email;

		if (is_by(by, db_ll(r, i, SR_id)))
			continue;
		name = db_str(a, r, i, SR_name, &failed);
		email = db_str(a, r, i, SR_email, &failed);
		rc = failed ? CS_FAILED : queue_one(db, a, n, name, email, path);
	}
	PQclear(r);
	return rc;
}

/* The staff ids as an array parameter, "{1,2}", in a. NULL when out of memory. */
static const char *
ids_param(struct arena *a, const long long *ids, size_t n, long long also)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_printf(&b, "{%lld", also);
	for (i = 0; i < n; i++)
		buf_printf(&b, ",%lld", ids[i]);
	buf_addstr(&b, "}");
	return buf_failed(&b) ? NULL : b.buf;
}

/*
 * Tells each active staff member of ids[0..n) but by, with the console's
 * link. With author set, also puts author.name (by's name) into the
 * context first.
 */
static enum cs_result
to_people(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const long long *ids, size_t n, int author, struct notice *nt)
{
	struct requester who;
	const char *p[2], *path;
	PGresult *r;
	int i, failed = 0;
	enum cs_result rc;

	p[1] = nt->wants;
	if (!enabled() || n == 0)
		return CS_OK;
	rc = load_notice(db, a, ticket_id, nt, &who);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? CS_OK : rc;
	path = arena_printf(a, "/agent/tickets/%s", who.number);
	/* The author's name comes with the recipients (0 matches nobody). */
	if ((p[0] = ids_param(a, ids, n, author && by != NULL && by->kind == TA_STAFF ? by->id :
	    0)) == NULL || path == NULL)
		return CS_FAILED;
	if ((r = db_exec(db, &stmts[ST_PEOPLE], p)) == NULL)
		return failure(db);
	for (i = 0; author && i < PQntuples(r) && rc == CS_OK; i++) {
		struct tval *m;

		if (!is_by(by, db_ll(r, i, PP_id)))
			continue;
		if ((m = tval_map(a)) == NULL ||
		    tval_set_str(a, m, "name", db_str(a, r, i, PP_name, &failed)) < 0 ||
		    tval_set(a, nt->ctx, "author", m) < 0 || failed)
			rc = CS_FAILED;
	}
	for (i = 0; i < PQntuples(r) && rc == CS_OK; i++) {
		const char *name, *email;

		if (is_by(by, db_ll(r, i, PP_id)) || !db_bool(r, i, PP_active))
			continue;
		name = db_str(a, r, i, PP_name, &failed);
		email = db_str(a, r, i, PP_email, &failed);
		rc = failed ? CS_FAILED : queue_one(db, a, nt, name, email, path);
	}
	PQclear(r);
	return rc;
}

int
ticket_notify_ready(void)
{
	return env.set != NULL;
}

enum cs_result
ticket_notify_created(struct db *db, struct arena *a, long long ticket_id, const char *intro)
{
	struct notice n = { .name = "ticket_created", .intro = intro, .kb_answer = 1 };

	return to_requester(db, a, NULL, ticket_id, &n);
}

enum cs_result
ticket_notify_assigned(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, long long agent_id)
{
	struct notice n = { .name = "ticket_assigned", .wants = "assigned" };

	if (agent_id <= 0)
		return CS_OK;
	return to_people(db, a, by, ticket_id, &agent_id, 1, 0, &n);
}

enum cs_result
ticket_notify_comment(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const char *kind, const char *body)
{
	struct notice staff = { .name = "ticket_reply", .body = body };
	struct notice customer = { .name = "ticket_customer_reply", .body = body,
		.wants = "replied" };

	if (kind == NULL || strcmp(kind, "public") != 0)
		return CS_OK;
	if (by->kind == TA_STAFF)
		return to_requester(db, a, by, ticket_id, &staff);
	if (by->kind == TA_CUSTOMER)
		return to_team(db, a, by, ticket_id, &customer, 1);
	return CS_OK;
}

enum cs_result
ticket_notify_status(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, enum ticket_status to)
{
	struct notice n = { .name = "ticket_resolved" };

	if (to != TS_RESOLVED)
		return CS_OK;
	return to_requester(db, a, by, ticket_id, &n);
}

enum cs_result
ticket_notify_auto_closed(struct db *db, struct arena *a, long long ticket_id, int days)
{
	struct notice n = { .name = "ticket_auto_closed", .days = days };

	return to_requester(db, a, NULL, ticket_id, &n);
}

enum cs_result
ticket_notify_mentioned(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long ticket_id, const char *body, const long long *staff, size_t n)
{
	/* The note as written: the template shows it as one quotation. */
	struct notice m = { .name = "ticket_mention", .note = body };

	return to_people(db, a, by, ticket_id, staff, n, 1, &m);
}

enum cs_result
ticket_notify_merged(struct db *db, struct arena *a, const struct ticket_actor_ref *by,
    long long target_id, const char *source_number)
{
	struct notice n = { .name = "ticket_merged", .source = source_number };

	return to_requester(db, a, by, target_id, &n);
}

enum cs_result
ticket_notify_at_risk(struct db *db, struct arena *a, long long ticket_id, const char *target)
{
	struct notice n = { .name = "ticket_at_risk", .wants = "at_risk" };
	char *words = arena_strdup(a, target != NULL ? target : ""), *u;

	if (words == NULL)
		return CS_FAILED;
	/* "first_response" as "first response". */
	for (u = words; (u = strchr(u, '_')) != NULL; u++)
		*u = ' ';
	n.target = words;
	return to_team(db, a, NULL, ticket_id, &n, 0);
}
