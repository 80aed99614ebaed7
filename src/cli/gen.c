/*
 * gen.c — `csdesk gen --tickets N [--customers M] [--comments C]
 * [--articles K] [--registrations R [--claims C]] [--returns R] [--force]`:
 * bulk data for benchmarks.
 *
 * Runs as the database owner. Everything is made inside PostgreSQL with
 * INSERT … SELECT … FROM generate_series, GEN_BATCH rows per statement,
 * each batch its own transaction, so a million tickets take seconds, not
 * a million round trips. Customers get one portal login each
 * (gen<run>-<id>@gen.csdesk.test, the demo password); tickets are spread
 * over queues, categories, channels, statuses, priorities and two years,
 * with subjects and descriptions drawn from a support vocabulary so that
 * text search has work to do.
 *
 * The per-row trigger that keeps ticket_counts and staff.open_tickets
 * would update the same few counter rows once per ticket (each batch
 * piling versions onto one row); it is switched off for the load and the
 * counters are recomputed from the table at the end, in the transaction
 * that switches it back on. Whatever happens, the trigger is switched on
 * again before the command exits.
 *
 * A load at least as big as the table it goes into (the usual first load)
 * builds the ticket table's indexes afterwards instead of growing each one
 * row by row: the indexes other than the keys are dropped, the tickets
 * loaded, and the indexes made again from their saved definitions, all in
 * one transaction, so a failure leaves the table as it was. Other sessions
 * wait for the tickets table until it commits.
 */
#include "cli/cli.h"
#include "cli/gen_kb.h"
#include "cli/gen_parts.h"
#include "cli/gen_returns.h"
#include "cli/gen_suggest.h"
#include "cli/gen_warranty.h"
#include "cli/gen_field.h"
#include "core/config.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GEN_BATCH 100000LL
#define GEN_TICKETS_MAX 20000000LL
#define GEN_CUSTOMERS_MAX 1000000LL
/* Loads from this size on (and as big as the table) build the indexes after. */
#define GEN_BULK_MIN 1000LL

/* Argon2id of "orange harbour lantern", the demo password (sql/demo/). */
#define DEMO_HASH "$argon2id$v=19$m=65536,t=2,p=1$SAxTiCFAv6mrH/WfI5Y3dw$" \
	"dwGJPx5jbUf5KoC/U8KBx7wtFvttwtgpjYiBCrdOxig"

/* What one batch of tickets made: the id range and how many. */
#define GT_COLS(X) X(GT, first, "coalesce(min(id), 0)") X(GT, last, "coalesce(max(id), 0)") \
	X(GT, made, "count(*)")
enum { DB_COL_ENUM(GT_COLS) };

enum stmt {
	STMT_SESSION,
	STMT_EXISTS,
	STMT_QUEUES,
	STMT_CATEGORIES,
	STMT_PRODUCTS,
	STMT_IDS,
	STMT_TEMP,
	STMT_CUSTOMERS,
	STMT_TRIGGER_OFF,
	STMT_TRIGGER_ON,
	STMT_TICKETS,
	STMT_COMMENTS,
	STMT_SLA_OPEN,
	STMT_SLA_DONE,
	STMT_COUNTS_CLEAR,
	STMT_COUNTS,
	STMT_OPEN_TICKETS,
	STMT_KB_EXISTS,
	STMT_ANALYZE,
	STMT_TOTALS,
	STMT_SIZE,
	STMT_INDEXES_SAVE,
	STMT_INDEXES_DROP,
	STMT_INDEXES_MAKE,
	STMT__MAX
};

/* Subject = thing + problem; the description adds time, detail and context. */
#define THINGS "ARRAY['Printer', 'Router', 'Laptop', 'Invoice', 'Password reset', 'Mobile app'," \
	" 'Dishwasher', 'Washing machine', 'Refrigerator', 'Delivery', 'Refund', 'Warranty claim'," \
	" 'Smart thermostat', 'Headset', 'Monitor', 'Keyboard', 'Subscription', 'Account login'," \
	" 'Firmware update', 'Charger', 'Battery', 'Camera', 'Vacuum cleaner', 'Coffee machine']"
#define PROBLEMS "ARRAY['not working', 'keeps restarting', 'shows an error', 'is very slow'," \
	" 'stopped charging', 'makes a loud noise', 'cannot connect to wifi', 'was charged twice'," \
	" 'arrived damaged', 'is missing parts', 'will not turn on', 'overheats', 'leaks water'," \
	" 'screen flickers', 'lost my settings', 'does not sync', 'wrong amount', 'never arrived']"
#define WHENS "ARRAY['Since yesterday', 'Since the last update', 'Since Monday'," \
	" 'After the power cut', 'Since I moved house', 'Every morning', 'Twice this week'," \
	" 'Right after unboxing', 'Since the warranty repair']"
#define DETAILS "ARRAY['I already tried turning it off and on again.'," \
	" 'The error code on the display is E42.', 'My order number is in the attachment.'," \
	" 'The blue light blinks three times and then stops.', 'Customer service chat was closed.'," \
	" 'I would like a replacement or a refund.', 'Please call me back in the afternoon.'," \
	" 'The technician visit did not fix it.', 'The manual does not mention this problem.'," \
	" 'It happens on both the app and the website.', 'The serial number starts with SN.']"
#define REPLIES "ARRAY['Thanks for reaching out, we are looking into it.'," \
	" 'Could you send a photo of the serial number label?'," \
	" 'A replacement part has been ordered.', 'Please try a factory reset and let us know.'," \
	" 'The refund has been issued to your card.', 'A technician will call to book a visit.']"

static struct db_stmt stmts[] = {
	/* A bulk load need not wait for each commit to reach the disk, and
	 * the text-search index merges its pending entries in bigger runs. */
	[STMT_SESSION] = DB_STMT("gen_session",
	    "SELECT set_config('synchronous_commit', 'off', false),"
	    " set_config('gin_pending_list_limit', '65536', false),"
	    " set_config('maintenance_work_mem', '256MB', false)", 0),
	[STMT_EXISTS] = DB_STMT("gen_exists",
	    "SELECT count(*) FROM portal_users WHERE email LIKE 'gen%@gen.csdesk.test'", 0),
	[STMT_QUEUES] = DB_STMT("gen_queues",
	    "INSERT INTO queues (name, auto_assign) SELECT n, false FROM unnest(ARRAY['General',"
	    " 'Billing', 'Technical support', 'Returns', 'Field service']) n"
	    " ON CONFLICT (name) DO NOTHING", 0),
	[STMT_CATEGORIES] = DB_STMT("gen_categories",
	    "INSERT INTO categories (name, position) SELECT n, p FROM unnest(ARRAY['Billing',"
	    " 'Hardware', 'Software', 'Network', 'Delivery', 'Warranty', 'Account'])"
	    " WITH ORDINALITY AS v (n, p) ON CONFLICT (name) DO NOTHING", 0),
	[STMT_PRODUCTS] = DB_STMT("gen_products",
	    "INSERT INTO products (sku, name) SELECT 'GEN-' || lpad(i::text, 3, '0'),"
	    " (" THINGS ")[1 + (i - 1) % 24] || ' model ' || i FROM generate_series(1, 24) i"
	    " ON CONFLICT (sku) DO NOTHING", 0),
	/* The ids to spread tickets over, as array literals for the loads. */
	[STMT_IDS] = DB_STMT("gen_ids",
	    "SELECT (SELECT coalesce(array_agg(id ORDER BY id), '{}')"
	    "  FROM queues WHERE active)::text,"
	    " (SELECT coalesce(array_agg(id ORDER BY id), '{}')"
	    "  FROM categories WHERE active)::text,"
	    " (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM products WHERE active)::text,"
	    " (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM staff"
	    "  WHERE active AND 'agent' = ANY (roles))::text", 0),
	[STMT_TEMP] = DB_STMT("gen_temp",
	    "CREATE TEMP TABLE gen_customers (rn bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	    " customer_id bigint NOT NULL, user_id bigint NOT NULL)", 0),
	/* $1 customers for run $2, each with one verified portal login. */
	[STMT_CUSTOMERS] = DB_STMT("gen_customers",
	    "WITH c AS (INSERT INTO customers (name, kind, tier, language)"
	    "  SELECT (ARRAY['Alex', 'Sam', 'Kim', 'Robin', 'Charlie', 'Jamie', 'Taylor', 'Jordan',"
	    "   'Morgan', 'Casey'])[1 + g % 10] || ' ' || (ARRAY['Smith', 'Garcia', 'Müller',"
	    "   'Rossi', 'Dubois', 'Novak', 'Silva', 'Jensen', 'Kowalski', 'Brown', 'Tanaka'])"
	    "   [1 + g / 10 % 11] || ' ' || g,"
	    "   CASE WHEN g % 7 = 0 THEN 'company' ELSE 'person' END,"
	    "   CASE WHEN g % 50 = 0 THEN 'vip' WHEN g % 9 = 0 THEN 'premium' ELSE 'standard' END,"
	    "   'en'"
	    "  FROM generate_series(1, $1::bigint) g RETURNING id, name),"
	    " u AS (INSERT INTO portal_users (customer_id, email, name, password_hash,"
	    "  is_account_admin, email_verified_at)"
	    "  SELECT id, 'gen' || $2 || '-' || id || '@gen.csdesk.test', name, $3, true, now()"
	    "  FROM c RETURNING id, customer_id)"
	    " INSERT INTO gen_customers (customer_id, user_id) SELECT customer_id, id FROM u"
	    " ORDER BY customer_id", 3),
	[STMT_TRIGGER_OFF] = DB_STMT("gen_trigger_off",
	    "ALTER TABLE tickets DISABLE TRIGGER tickets_counts", 0),
	[STMT_TRIGGER_ON] = DB_STMT("gen_trigger_on",
	    "ALTER TABLE tickets ENABLE TRIGGER tickets_counts", 0),
	/*
	 * Tickets $1..$2 of the run over $3 customers; $4 queues, $5
	 * categories, $6 products, $7 agents (array literals). Old tickets are
	 * mostly closed, recent ones mostly open.
	 */
	[STMT_TICKETS] = DB_STMT("gen_tickets",
	    "WITH v AS (SELECT " DETAILS " AS details),"
	    " ins AS (INSERT INTO tickets (number, customer_id, requester_id, channel, type,"
	    "  category_id, product_id, subject, description, urgency, priority, status, queue_id,"
	    "  assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at)"
	    " SELECT 'TKT-' || lpad(x.n::text, greatest(6, length(x.n::text)), '0'),"
	    "  c.customer_id, c.user_id,"
	    "  (ARRAY['portal', 'portal', 'email', 'email', 'phone', 'chat', 'social', 'api',"
	    "   'walk-in'])[1 + x.g % 9],"
	    "  (ARRAY['question', 'incident', 'problem', 'request'])[1 + x.g / 9 % 4],"
	    "  ($5::bigint[])[1 + x.g % greatest(cardinality($5::bigint[]), 1)],"
	    "  ($6::bigint[])[1 + x.g / 3 % greatest(cardinality($6::bigint[]), 1)],"
	    "  x.thing || ' ' || x.problem,"
	    "  x.since || ' my ' || lower(x.thing) || ' ' || x.problem || '. '"
	    "   || v.details[1 + floor(x.r2 * 11)::int] || ' '"
	    "   || v.details[1 + floor(x.r3 * 11)::int] || ' Reference ' || (x.g * 7919) % 1000003"
	    "   || '.',"
	    "  (ARRAY['low', 'normal', 'normal', 'high'])[1 + x.g % 4],"
	    "  (ARRAY['low', 'medium', 'medium', 'medium', 'high', 'high', 'urgent', 'critical'])"
	    "   [1 + floor(x.r2 * 8)::int],"
	    "  x.status,"
	    "  ($4::bigint[])[1 + x.g % greatest(cardinality($4::bigint[]), 1)],"
	    "  CASE WHEN x.status <> 'new' THEN"
	    "   ($7::bigint[])[1 + floor(x.r3 * greatest(cardinality($7::bigint[]), 1))::int] END,"
	    "  x.created, x.created + (x.updated_after),"
	    "  CASE WHEN x.status <> 'new' THEN x.created + x.updated_after / 4 END,"
	    "  CASE WHEN x.status IN ('resolved', 'closed') THEN x.created + x.updated_after / 2 END,"
	    "  CASE WHEN x.status = 'closed' THEN x.created + x.updated_after END"
	    " FROM (SELECT y.*,"
	    "   CASE WHEN y.age > 30 THEN (ARRAY['closed', 'closed', 'closed', 'closed', 'resolved',"
	    "    'cancelled', 'in_progress', 'pending_customer'])[1 + floor(y.r1 * 8)::int]"
	    "   ELSE (ARRAY['new', 'assigned', 'in_progress', 'in_progress', 'pending_customer',"
	    "    'pending_parts', 'resolved', 'reopened'])[1 + floor(y.r1 * 8)::int] END AS status,"
	    "   now() - y.age * interval '1 day' - y.r2 * interval '1 day' AS created,"
	    "   least(y.age, 10) * y.r3 * interval '1 day' AS updated_after,"
	    "   (" THINGS ")[1 + y.g % 24] AS thing,"
	    "   (" PROBLEMS ")[1 + floor(y.r1 * 18)::int] AS problem,"
	    "   (" WHENS ")[1 + floor(y.r3 * 9)::int] AS since"
	    "  FROM (SELECT g, nextval('ticket_number_seq') AS n,"
	    "    random() AS r1, random() AS r2, random() AS r3,"
	    "    floor(power(random(), 2) * 730)::int AS age"
	    "   FROM generate_series($1::bigint, $2::bigint) g) y) x CROSS JOIN v"
	    " JOIN gen_customers c ON c.rn = 1 + (x.g * 7919) % $3::bigint"
	    " RETURNING id)"
	    " SELECT " DB_COLS(GT_COLS) " FROM ins", 7),
	/* $3 comments on each of tickets $1..$2: the customer, then staff. */
	[STMT_COMMENTS] = DB_STMT("gen_comments",
	    "INSERT INTO ticket_comments (ticket_id, kind, author_user_id, author_staff_id, body,"
	    " created_at)"
	    " SELECT t.id, CASE WHEN k % 3 = 0 THEN 'internal' ELSE 'public' END,"
	    "  CASE WHEN k % 2 = 1 AND k % 3 <> 0 THEN t.requester_id END,"
	    "  CASE WHEN k % 2 = 0 OR k % 3 = 0 THEN t.assignee_id END,"
	    "  CASE WHEN k % 2 = 1 AND k % 3 <> 0 THEN 'Any news? ' || t.subject || ' still.'"
	    "  ELSE (" REPLIES ")[1 + (t.id + k) % 6] END,"
	    "  t.created_at + k * interval '1 hour'"
	    " FROM tickets t CROSS JOIN generate_series(1, $3::integer) k"
	    " WHERE t.id BETWEEN $1::bigint AND $2::bigint", 3),
	/*
	 * SLA clocks, set-based, so that `csdesk demo` finds none to start (one
	 * sla_ticket_start per ticket would take minutes at a million). Open
	 * tickets run as if opened now: every clock started at one instant has
	 * the same due times per policy, computed once per policy and batch;
	 * those in a status their policy pauses are paused. Finished tickets
	 * get a clock started at creation and no targets, as their stored
	 * history would leave them.
	 */
	[STMT_SLA_OPEN] = DB_STMT("gen_sla_open",
	    "WITH due AS (SELECT p.id, p.priority, p.tier, p.pause_statuses,"
	    "  add_business_minutes(p.calendar_id, now(), p.first_response_minutes) AS fr,"
	    "  add_business_minutes(p.calendar_id, now(),"
	    "   sla_warn_minutes(p.first_response_minutes)) AS frw,"
	    "  add_business_minutes(p.calendar_id, now(), p.resolution_minutes) AS res,"
	    "  add_business_minutes(p.calendar_id, now(), sla_warn_minutes(p.resolution_minutes))"
	    "   AS resw"
	    "  FROM sla_policies p WHERE p.active AND p.category_id IS NULL)"
	    " UPDATE tickets t SET sla_policy_id = d.id, sla_started_at = now(),"
	    "  first_response_due_at = d.fr, first_response_warn_at = d.frw,"
	    "  resolution_due_at = d.res, resolution_warn_at = d.resw,"
	    "  sla_paused_at = CASE WHEN t.status = ANY (d.pause_statuses) THEN now() END"
	    " FROM customers c, due d"
	    " WHERE t.id BETWEEN $1::bigint AND $2::bigint AND c.id = t.customer_id"
	    "  AND t.sla_started_at IS NULL AND t.status NOT IN ('resolved', 'closed', 'cancelled')"
	    "  AND d.priority = t.priority AND d.tier IS NOT DISTINCT FROM"
	    "  (CASE WHEN EXISTS (SELECT 1 FROM due x WHERE x.priority = t.priority"
	    "   AND x.tier = c.tier) THEN c.tier END)", 2),
	[STMT_SLA_DONE] = DB_STMT("gen_sla_done",
	    "UPDATE tickets SET sla_started_at = created_at"
	    " WHERE id BETWEEN $1::bigint AND $2::bigint AND sla_started_at IS NULL", 2),
	/* ticket_counts is the base plus the deltas not yet rolled up (022). */
	[STMT_COUNTS_CLEAR] = DB_STMT("gen_counts_clear",
	    "WITH d AS (DELETE FROM ticket_count_deltas) DELETE FROM ticket_counts_base", 0),
	[STMT_COUNTS] = DB_STMT("gen_counts",
	    "INSERT INTO ticket_counts_base (queue_id, status, n)"
	    " SELECT coalesce(queue_id, 0), status, count(*) FROM tickets GROUP BY 1, 2", 0),
	[STMT_OPEN_TICKETS] = DB_STMT("gen_open_tickets",
	    "UPDATE staff s SET open_tickets = coalesce(o.n, 0)"
	    " FROM staff s2 LEFT JOIN (SELECT assignee_id, count(*) AS n FROM tickets"
	    "  WHERE assignee_id IS NOT NULL AND ticket_is_open(status) GROUP BY 1) o"
	    "  ON o.assignee_id = s2.id"
	    " WHERE s.id = s2.id AND s.open_tickets IS DISTINCT FROM coalesce(o.n, 0)", 0),
	[STMT_KB_EXISTS] = DB_STMT("gen_kb_exists",
	    "SELECT to_regclass('kb_articles') IS NOT NULL", 0),
	/* VACUUM too: the rows' hint bits and the visibility map set now, as
	 * autovacuum would have over time, not by the first pages read. */
	[STMT_ANALYZE] = DB_STMT("gen_analyze",
	    "VACUUM (ANALYZE) customers, portal_users, tickets, ticket_comments, ticket_counts_base,"
	    " staff", 0),
	/* About how many tickets there are (the planner's count: no scan). */
	[STMT_SIZE] = DB_STMT("gen_size",
	    "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'tickets'::regclass",
	    0),
	/* The tickets indexes that no constraint owns, for the bulk load. */
	[STMT_INDEXES_SAVE] = DB_STMT("gen_indexes_save",
	    "CREATE TEMP TABLE gen_indexes ON COMMIT DROP AS"
	    " SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def"
	    " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
	    " WHERE i.indrelid = 'tickets'::regclass"
	    " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)", 0),
	[STMT_INDEXES_DROP] = DB_STMT("gen_indexes_drop",
	    "DO $$DECLARE r record; BEGIN"
	    " FOR r IN SELECT name FROM gen_indexes LOOP"
	    "  EXECUTE format('DROP INDEX %I', r.name); END LOOP; END$$", 0),
	[STMT_INDEXES_MAKE] = DB_STMT("gen_indexes_make",
	    "DO $$DECLARE r record; BEGIN"
	    " FOR r IN SELECT def FROM gen_indexes LOOP EXECUTE r.def; END LOOP; END$$", 0),
	[STMT_TOTALS] = DB_STMT("gen_totals",
	    "SELECT (SELECT count(*) FROM tickets), (SELECT coalesce(sum(n), 0) FROM ticket_counts),"
	    " (SELECT count(*) FROM customers)", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

struct gen_opts {
	long long tickets, customers, comments, articles, returns;
	long long registrations, claims;	/* warranty (gen_warranty.c) */
	long long movements;			/* service parts (gen_parts.c) */
	long long technicians, appointments;	/* field service (gen_field.c) */
	int force;
	int only_articles;	/* --articles or --registrations without --tickets */
	int only_suggestions;	/* --suggestions alone */
};

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
usage(void)
{
	fprintf(stderr, "usage: csdesk gen --tickets N [--customers M] [--comments C]"
	    " [--articles K] [--registrations R [--claims C]] [--returns R]"
	    " [--technicians T [--appointments A]] [--force]\n"
	    "       csdesk gen --articles K | --returns R\n"
	    "       csdesk gen --registrations R [--claims C]\n"
	    "       csdesk gen --movements M   (service parts: catalogue, vans, stock movements)\n"
	    "       csdesk gen --technicians T [--appointments A]\n"
	    "       csdesk gen --suggestions\n"
	    "  bulk data for benchmarks; refuses a database that already has generated\n"
	    "  data unless --force\n");
	return 2;
}

static int
parse(int argc, char **argv, struct gen_opts *o)
{
	const struct {
		const char *name;
		long long *to;
		long long min, max;
	} opts[] = {
		{ "--tickets", &o->tickets, 0, GEN_TICKETS_MAX },
		{ "--customers", &o->customers, 1, GEN_CUSTOMERS_MAX },
		{ "--comments", &o->comments, 0, 10 },
		{ "--articles", &o->articles, 0, GEN_ARTICLES_MAX },
		{ "--registrations", &o->registrations, 0, GEN_REGISTRATIONS_MAX },
		{ "--claims", &o->claims, 0, GEN_CLAIMS_MAX },
		{ "--returns", &o->returns, 0, GEN_RETURNS_MAX },
		{ "--movements", &o->movements, 0, GEN_MOVEMENTS_MAX },
		{ "--technicians", &o->technicians, 0, GEN_TECHNICIANS_MAX },
		{ "--appointments", &o->appointments, 0, GEN_APPOINTMENTS_MAX },
	};
	size_t k;
	int i;

	memset(o, 0, sizeof(*o));
	o->customers = o->tickets = -1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0) {
			o->force = 1;
			continue;
		}
		if (strcmp(argv[i], "--suggestions") == 0) {
			o->only_suggestions = 1;
			continue;
		}
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (strcmp(argv[i], opts[k].name) == 0)
				break;
		if (k == sizeof(opts) / sizeof(opts[0]) || i + 1 >= argc)
			return -1;
		if (config_parse_long(argv[++i], opts[k].min, opts[k].max, opts[k].to) < 0)
			return -1;
	}
	if (o->only_suggestions) {
		o->tickets = 0;
		return o->articles > 0 || o->returns > 0 ? -1 : 0;
	}
	if (o->tickets < 0 && (o->articles > 0 || o->returns > 0 || o->registrations > 0 ||
	    o->technicians > 0 || o->movements > 0)) {
		o->only_articles = 1;
		o->tickets = 0;
	}
	if (o->tickets < 0)
		return -1;
	if (o->customers < 0) {
		/* About twenty tickets per customer, within sensible bounds. */
		o->customers = o->tickets / 20;
		if (o->customers < 10)
			o->customers = 10;
		if (o->customers > 200000)
			o->customers = 200000;
	}
	return 0;
}

/* Runs st in a transaction of its own. 0 or -1 (said on stderr). */
static int
run_tx(struct db *db, enum stmt s, const char *const *p)
{
	if (db_begin(db) < 0 || db_run(db, &stmts[s], p) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		fprintf(stderr, "csdesk gen: %s failed (see above)\n", stmts[s].name);
		return -1;
	}
	return 0;
}

/* The first row's value of column col of st, copied into out. 0 or -1. */
static int
value(struct db *db, enum stmt s, int col, char *out, size_t size)
{
	PGresult *res = db_exec(db, &stmts[s], NULL);

	if (res == NULL || PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	snprintf(out, size, "%s", PQgetvalue(res, 0, col));
	PQclear(res);
	return 0;
}

/* Recomputes the counters from the table and switches the trigger back on. */
static int
counters(struct db *db)
{
	/* The ALTER first: its lock holds off new tickets until the counts match. */
	if (db_begin(db) < 0 || db_run(db, &stmts[STMT_TRIGGER_ON], NULL) < 0 ||
	    db_run(db, &stmts[STMT_COUNTS_CLEAR], NULL) < 0 ||
	    db_run(db, &stmts[STMT_COUNTS], NULL) < 0 ||
	    db_run(db, &stmts[STMT_OPEN_TICKETS], NULL) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

static int
load_tickets(struct db *db, const struct gen_opts *o, char ids[4][8192], long long *made,
    long long *comments)
{
	char from[24], to[24], ncust[24], ncomm[24], lo[24], hi[24];
	const char *p[7] = { from, to, ncust, ids[0], ids[1], ids[2], ids[3] };
	const char *cp[] = { lo, hi, ncomm };
	long long off;

	snprintf(ncust, sizeof(ncust), "%lld", o->customers);
	snprintf(ncomm, sizeof(ncomm), "%lld", o->comments);
	for (off = 0; off < o->tickets; off += GEN_BATCH) {
		long long last = off + GEN_BATCH < o->tickets ? off + GEN_BATCH : o->tickets;
		PGresult *res;

		snprintf(from, sizeof(from), "%lld", off + 1);
		snprintf(to, sizeof(to), "%lld", last);
		if (db_begin(db) < 0)
			return -1;
		res = db_exec(db, &stmts[STMT_TICKETS], p);
		if (res == NULL || PQntuples(res) != 1) {
			PQclear(res);
			db_rollback(db);
			return -1;
		}
		*made += db_ll(res, 0, GT_made);
		snprintf(lo, sizeof(lo), "%s", PQgetvalue(res, 0, GT_first));
		snprintf(hi, sizeof(hi), "%s", PQgetvalue(res, 0, GT_last));
		PQclear(res);
		if (db_run(db, &stmts[STMT_SLA_OPEN], cp) < 0 ||
		    db_run(db, &stmts[STMT_SLA_DONE], cp) < 0) {
			db_rollback(db);
			return -1;
		}
		if (o->comments > 0) {
			if ((res = db_exec(db, &stmts[STMT_COMMENTS], cp)) == NULL) {
				db_rollback(db);
				return -1;
			}
			*comments += db_changed(res);
			PQclear(res);
		}
		if (db_commit(db) < 0)
			return -1;
		fprintf(stderr, "\rcsdesk gen: %lld / %lld tickets", last, o->tickets);
	}
	if (o->tickets > 0)
		fputc('\n', stderr);
	return 0;
}

/*
 * The bulk load: indexes dropped, tickets loaded, indexes made again and
 * the counters recomputed, in one transaction (load_tickets' and
 * counters' own transactions nest in it). 0, or -1 with nothing changed.
 */
static int
load_bulk(struct db *db, const struct gen_opts *o, char ids[4][8192], long long *made,
    long long *comments)
{
	double t0;

	if (db_begin(db) < 0)
		return -1;
	if (db_run(db, &stmts[STMT_TRIGGER_OFF], NULL) < 0 ||
	    db_run(db, &stmts[STMT_INDEXES_SAVE], NULL) < 0 ||
	    db_run(db, &stmts[STMT_INDEXES_DROP], NULL) < 0)
		goto fail;
	if (load_tickets(db, o, ids, made, comments) < 0) {
		fprintf(stderr, "csdesk gen: loading tickets failed (see above)\n");
		goto fail;
	}
	t0 = seconds();
	fprintf(stderr, "csdesk gen: making the ticket indexes\n");
	if (db_run(db, &stmts[STMT_INDEXES_MAKE], NULL) < 0) {
		fprintf(stderr, "csdesk gen: making the indexes failed (see above)\n");
		goto fail;
	}
	if (counters(db) < 0) {
		fprintf(stderr, "csdesk gen: recomputing the counters failed (see above)\n");
		goto fail;
	}
	if (db_commit(db) < 0)
		return -1;
	fprintf(stderr, "csdesk gen: indexes made in %.1f s\n", seconds() - t0);
	return 0;
fail:
	db_rollback(db);
	*made = *comments = 0;
	return -1;
}

int
cli_gen(int argc, char **argv)
{
	struct gen_opts o;
	struct db db;
	char ids[4][8192], existing[24], run[24], ncust[24], kb[8], totals[3][24], size[24];
	const char *cp[3];
	long long made = 0, comments = 0, rows = 0;
	double t0 = seconds(), t1, t2;
	int rc = 1, trigger_off = 0, i;

	if (parse(argc, argv, &o) < 0)
		return usage();
	if (cli_connect(&db) < 0)
		return 1;
	if (db_run(&db, &stmts[STMT_SESSION], NULL) < 0)
		goto out;
	/* The stored suggestions of tickets that have none, alone. */
	if (o.only_suggestions) {
		rc = gen_kb_suggestions(&db) < 0;
		goto out;
	}
	/* Knowledge-base articles alone: no customers, no tickets. */
	if (o.only_articles) {
		rc = (o.articles > 0 && gen_kb_articles(&db, o.articles) < 0) ||
		    (o.returns > 0 && gen_returns(&db, o.returns) < 0) ||
		    (o.registrations > 0 && gen_warranty(&db, o.registrations, o.claims) < 0) ||
		    (o.technicians > 0 && gen_field(&db, o.technicians, o.appointments, DEMO_HASH) < 0) ||
		    (o.movements > 0 && gen_parts(&db, o.movements) < 0);
		goto out;
	}
	if (value(&db, STMT_EXISTS, 0, existing, sizeof(existing)) < 0)
		goto out;
	if (strcmp(existing, "0") != 0 && !o.force) {
		fprintf(stderr, "csdesk gen: this database already has generated data (%s logins);"
		    " add --force to generate more\n", existing);
		rc = 1;
		goto out;
	}
	/* Reference data, then the ids to spread tickets over. */
	if (run_tx(&db, STMT_QUEUES, NULL) < 0 || run_tx(&db, STMT_CATEGORIES, NULL) < 0 ||
	    run_tx(&db, STMT_PRODUCTS, NULL) < 0)
		goto out;
	for (i = 0; i < 4; i++)
		if (value(&db, STMT_IDS, i, ids[i], sizeof(ids[i])) < 0)
			goto out;
	if (db_run(&db, &stmts[STMT_TEMP], NULL) < 0)
		goto out;
	/* A run id keeps the logins of a --force run apart from earlier ones. */
	snprintf(run, sizeof(run), "%lld", (long long)time(NULL));
	snprintf(ncust, sizeof(ncust), "%lld", o.customers);
	cp[0] = ncust;
	cp[1] = run;
	cp[2] = DEMO_HASH;
	if (run_tx(&db, STMT_CUSTOMERS, cp) < 0)
		goto out;
	t1 = seconds();
	if (value(&db, STMT_SIZE, 0, size, sizeof(size)) < 0 ||
	    config_parse_long(size, 0, 1LL << 62, &rows) < 0)
		goto out;
	if (o.tickets >= GEN_BULK_MIN && o.tickets >= rows) {
		if (load_bulk(&db, &o, ids, &made, &comments) < 0)
			goto out;
	} else {
		if (run_tx(&db, STMT_TRIGGER_OFF, NULL) < 0)
			goto out;
		trigger_off = 1;
		if (load_tickets(&db, &o, ids, &made, &comments) < 0) {
			fprintf(stderr, "csdesk gen: loading tickets failed (see above)\n");
			goto out;
		}
		if (counters(&db) < 0) {
			fprintf(stderr, "csdesk gen: recomputing the counters failed (see above)\n");
			goto out;
		}
		trigger_off = 0;
	}
	t2 = seconds();
	if (db_run(&db, &stmts[STMT_ANALYZE], NULL) < 0)
		goto out;
	if (o.articles > 0 && value(&db, STMT_KB_EXISTS, 0, kb, sizeof(kb)) == 0 &&
	    strcmp(kb, "t") == 0 && gen_kb_articles(&db, o.articles) < 0)
		goto out;
	/* What the "kb" consumer stores for a ticket opened by a use case. */
	if (gen_kb_suggestions(&db) < 0)
		goto out;
	if (o.returns > 0 && gen_returns(&db, o.returns) < 0)
		goto out;
	for (i = 0; i < 3; i++)
		if (value(&db, STMT_TOTALS, i, totals[i], sizeof(totals[i])) < 0)
			goto out;
	printf("gen: %lld customers, %lld tickets, %lld comments in %.1f s"
	    " (customers %.1f s, tickets %.1f s, vacuum and analyze %.1f s)\n",
	    o.customers, made, comments, seconds() - t0, t1 - t0, t2 - t1, seconds() - t2);
	printf("gen: the database now has %s tickets (ticket_counts: %s), %s customers\n",
	    totals[0], totals[1], totals[2]);
	if (o.registrations > 0 && gen_warranty(&db, o.registrations, o.claims) < 0)
		goto out;
	if (o.technicians > 0 && gen_field(&db, o.technicians, o.appointments, DEMO_HASH) < 0)
		goto out;
	if (o.movements > 0 && gen_parts(&db, o.movements) < 0)
		goto out;
	rc = 0;
out:
	if (trigger_off && counters(&db) < 0)
		fprintf(stderr, "csdesk gen: could not switch the tickets_counts trigger back on:"
		    " run ALTER TABLE tickets ENABLE TRIGGER tickets_counts\n");
	db_close(&db);
	return rc;
}
