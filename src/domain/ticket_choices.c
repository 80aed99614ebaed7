/* ticket_choices.c — see ticket_choices.h. */
#include "domain/ticket_choices.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/canned.h"
#include "domain/tickets.h"

#include <string.h>
#include <time.h>

/* Where 008's triggers say that the lists changed. */
#define CHOICES_CHANNEL "csdesk_choices"

#define CODE_COLS(X) X(CO, code, "code") X(CO, label, "label")
enum { DB_COL_ENUM(CODE_COLS) };
#define TEAM_COLS(X) X(MT, id, "id") X(MT, team_id, "coalesce(team_id, 0)")
enum { DB_COL_ENUM(TEAM_COLS) };

enum stmt {
	STMT_QUEUES,
	STMT_TEAMS,
	STMT_AGENTS,
	STMT_CATEGORIES,
	STMT_PRODUCTS,
	STMT_CODES,
	STMT_TYPES,
	STMT_QUEUE_NAMES,
	STMT_STAFF_NAMES,
	STMT_STAFF_TEAMS,
	STMT_CATEGORY_NAMES,
	STMT_CODE_NAMES,
	STMT_TYPE_NAMES,
	STMT_LISTEN,
	STMT__MAX
};

/* The option lists select id and name first (db_options). */
static struct db_stmt stmts[] = {
	[STMT_LISTEN] = DB_STMT("ticket_console_listen", "LISTEN " CHOICES_CHANNEL, 0),
	[STMT_QUEUES] = DB_STMT("ticket_console_queues",
	    "SELECT id, name FROM queues WHERE active ORDER BY lower(name), id", 0),
	[STMT_TEAMS] = DB_STMT("ticket_console_teams",
	    "SELECT id, name FROM teams ORDER BY lower(name), id", 0),
	[STMT_AGENTS] = DB_STMT("ticket_console_agents",
	    "SELECT id, name FROM staff WHERE active AND roles && ARRAY['agent', 'supervisor']"
	    " ORDER BY lower(name), id", 0),
	/* A sub-category (046) is named after its category and listed after it. */
	[STMT_CATEGORIES] = DB_STMT("ticket_console_categories",
	    "SELECT c.id, coalesce(p.name || ' › ', '') || c.name FROM categories c"
	    " LEFT JOIN categories p ON p.id = c.parent_id"
	    " WHERE c.active AND (c.parent_id IS NULL OR p.active)"
	    " ORDER BY coalesce(p.position, c.position), lower(coalesce(p.name, c.name)),"
	    " coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.position, lower(c.name), c.id", 0),
	[STMT_PRODUCTS] = DB_STMT("ticket_console_products",
	    "SELECT id, name FROM products WHERE active ORDER BY name", 0),
	[STMT_CODES] = DB_STMT("ticket_console_codes",
	    "SELECT " DB_COLS(CODE_COLS) " FROM resolution_codes WHERE active"
	    " ORDER BY label, code", 0),
	/* Read as the codes are: code and label. */
	[STMT_TYPES] = DB_STMT("ticket_console_types",
	    "SELECT " DB_COLS(CODE_COLS) " FROM ticket_types WHERE active"
	    " ORDER BY position, label, code", 0),
	/* Every queue and person, inactive ones too: the names a ticket
	 * list shows (ticket_choices_names). Teams are all in STMT_TEAMS. */
	[STMT_QUEUE_NAMES] = DB_STMT("ticket_console_queue_names",
	    "SELECT id, name FROM queues ORDER BY id", 0),
	[STMT_STAFF_NAMES] = DB_STMT("ticket_console_staff_names",
	    "SELECT id, name FROM staff ORDER BY id", 0),
	/* Each person's team: the canned responses they may use. */
	[STMT_STAFF_TEAMS] = DB_STMT("ticket_console_staff_teams",
	    "SELECT " DB_COLS(TEAM_COLS) " FROM staff ORDER BY id", 0),
	/* Every category (with its parent's name), resolution code and
	 * ticket type, inactive ones too: what a ticket's page names
	 * (ticket_choices_name_ticket) without joining their tables. */
	[STMT_CATEGORY_NAMES] = DB_STMT("ticket_console_category_names",
	    "SELECT c.id, coalesce(p.name || ' › ', '') || c.name FROM categories c"
	    " LEFT JOIN categories p ON p.id = c.parent_id ORDER BY c.id", 0),
	[STMT_CODE_NAMES] = DB_STMT("ticket_console_code_names",
	    "SELECT id, code FROM resolution_codes ORDER BY id", 0),
	[STMT_TYPE_NAMES] = DB_STMT("ticket_console_type_names",
	    "SELECT " DB_COLS(CODE_COLS) " FROM ticket_types ORDER BY code", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == STMT__MAX, "one statement per enum stmt");

/* A resolution code: its code and label side by side. */
struct code {
	const char *code, *label;
};

static enum cs_result
fill_code(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct code *c = elem;
	int failed = 0;

	c->code = db_str(a, r, row, CO_code, &failed);
	c->label = db_str(a, r, row, CO_label, &failed);
	return failed ? CS_FAILED : CS_OK;
}

/* The codes and labels of the pipeline's result slot as two arrays of *n. */
static enum cs_result
read_codes(struct arena *a, struct db_pipe *pipe, int slot, const char ***words,
    const char ***labels, size_t *n)
{
	struct code *codes;
	void *out;
	size_t i;
	enum cs_result rc = db_pipe_rows(pipe, slot, a, sizeof(*codes), fill_code, &out, n);

	if (rc != CS_OK)
		return rc;
	codes = out;
	*words = arena_calloc(a, *n + 1, sizeof(**words));
	*labels = arena_calloc(a, *n + 1, sizeof(**labels));
	if (*words == NULL || *labels == NULL)
		return CS_FAILED;
	for (i = 0; i < *n; i++) {
		(*words)[i] = codes[i].code;
		(*labels)[i] = codes[i].label;
	}
	return CS_OK;
}

/* The option lists, in the order of enum stmt, and where each goes in c. */
#define OPTION_LISTS 5
static enum cs_result
read_options(struct arena *a, struct db_pipe *pipe, struct ticket_choices *c)
{
	struct db_option **out[OPTION_LISTS] = { &c->queues, &c->teams, &c->agents,
		&c->categories, &c->products };
	size_t *n[OPTION_LISTS] = { &c->nqueues, &c->nteams, &c->nagents, &c->ncategories,
		&c->nproducts };
	int k;

	for (k = 0; k < OPTION_LISTS; k++)
		if (db_pipe_rows(pipe, k, a, sizeof(**out[k]), db_fill_option, (void **)out[k],
		    n[k]) != CS_OK)
			return CS_FAILED;
	return CS_OK;
}
_Static_assert(STMT_PRODUCTS + 1 == OPTION_LISTS && STMT_CODES == OPTION_LISTS &&
    STMT_TYPES == STMT_CODES + 1, "the option lists come first, the codes and types after them");

/* A staff member and their team (0: none). */
struct member {
	long long id, team_id;
};

static enum cs_result
fill_member(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct member *m = elem;

	(void)a;
	m->id = db_ll(r, row, MT_id);
	m->team_id = db_ll(r, row, MT_team_id);
	return CS_OK;
}

/* What a worker keeps: the lists, every canned response (by title),
 * every person's team (by id), and the names of every category and
 * resolution code (by id) and ticket type (by code). */
struct lists {
	struct ticket_choices c;
	struct canned *canned;
	size_t ncanned;
	struct member *members;
	size_t nmembers;
	struct db_option *category_names, *code_names;
	size_t ncategory_names, ncode_names;
	const char **type_codes, **type_labels;
	size_t ntype_names;
};

/* Reads the lists into l, in arena a: one round trip. */
static enum cs_result
load_choices(struct db *db, struct arena *a, struct lists *l)
{
	struct ticket_choices *c = &l->c;
	struct db_pipe pipe;
	enum cs_result rc;
	int k, canned;

	memset(l, 0, sizeof(*l));
	db_pipe_init(&pipe);
	for (k = 0; k < STMT_LISTEN; k++)
		db_pipe_add(&pipe, &stmts[k], NULL);
	if ((canned = canned_list_send(&pipe, a, 0)) < 0) {
		db_pipe_release(&pipe);
		return CS_FAILED;
	}
	if ((rc = db_pipe_run(db, &pipe)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, STMT_STAFF_TEAMS, a, sizeof(*l->members), fill_member,
	    (void **)&l->members, &l->nmembers)) == CS_OK &&
	    (rc = canned_list_take(&pipe, canned, a, &l->canned, &l->ncanned)) == CS_OK &&
	    (rc = read_options(a, &pipe, c)) == CS_OK &&
	    (rc = read_codes(a, &pipe, STMT_CODES, &c->codes, &c->code_labels,
	    &c->ncodes)) == CS_OK &&
	    (rc = read_codes(a, &pipe, STMT_TYPES, &c->types, &c->type_labels,
	    &c->ntypes)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, STMT_QUEUE_NAMES, a, sizeof(*c->queue_names),
	    db_fill_option, (void **)&c->queue_names, &c->nqueue_names)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, STMT_STAFF_NAMES, a, sizeof(*c->staff_names),
	    db_fill_option, (void **)&c->staff_names, &c->nstaff_names)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, STMT_CATEGORY_NAMES, a, sizeof(*l->category_names),
	    db_fill_option, (void **)&l->category_names, &l->ncategory_names)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, STMT_CODE_NAMES, a, sizeof(*l->code_names),
	    db_fill_option, (void **)&l->code_names, &l->ncode_names)) == CS_OK)
		rc = read_codes(a, &pipe, STMT_TYPE_NAMES, &l->type_codes, &l->type_labels,
		    &l->ntype_names);
	db_pipe_release(&pipe);
	return rc;
}

/* Copies n options into a; NULL when out of memory. */
static struct db_option *
copy_options(struct arena *a, const struct db_option *from, size_t n)
{
	struct db_option *to = arena_calloc(a, n + 1, sizeof(*to));
	size_t i;

	for (i = 0; to != NULL && i < n; i++) {
		to[i].id = from[i].id;
		if ((to[i].name = arena_strdup(a, from[i].name)) == NULL)
			return NULL;
	}
	return to;
}

static const char **
copy_words(struct arena *a, const char *const *from, size_t n)
{
	const char **to = arena_calloc(a, n + 1, sizeof(*to));
	size_t i;

	for (i = 0; to != NULL && i < n; i++)
		if ((to[i] = arena_strdup(a, from[i])) == NULL)
			return NULL;
	return to;
}

/*
 * The lists change a few times a day and every ticket page and list shows
 * them: each worker keeps them, and 008's triggers NOTIFY CHOICES_CHANNEL
 * when a queue, team, category, product, resolution code, ticket type (046) or
 * agent changes. The
 * connection LISTENs from before the lists are read, so a change is never
 * missed; a new connection starts afresh. The notification reaches the
 * worker's socket as the change commits and is read before the next use.
 * Through a pooler in transaction mode a LISTEN does not stay with the
 * worker: there the lists are read again after CHOICES_MAX_AGE seconds.
 */
#define CHOICES_MAX_AGE 60
static struct {
	struct arena *arena;		/* NULL: nothing kept */
	struct lists l;
	unsigned long connects;		/* the connection that LISTENs; 0: none */
	time_t loaded;			/* when (monotonic seconds) */
} kept;

static time_t
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
forget_choices(void)
{
	arena_free(kept.arena);
	kept.arena = NULL;
	memset(&kept.l, 0, sizeof(kept.l));
}

/* The kept lists, read again when they may have changed. NULL on failure. */
static const struct lists *
kept_choices(struct db *db)
{
	if (kept.connects != db->connects) {
		forget_choices();
		kept.connects = 0;
		/* Inside a transaction a LISTEN waits for a commit that may not
		 * come: read the lists uncached then. */
		if (db->depth > 0 || PQtransactionStatus(db->conn) != PQTRANS_IDLE)
			return NULL;
		if (db_run(db, &stmts[STMT_LISTEN], NULL) < 0)
			return NULL;
		kept.connects = db->connects;
	} else if (db_notified(db, CHOICES_CHANNEL) ||
	    monotonic_seconds() - kept.loaded > CHOICES_MAX_AGE) {
		forget_choices();
	}
	if (kept.arena == NULL) {
		if ((kept.arena = arena_new(8192)) == NULL)
			return NULL;
		if (load_choices(db, kept.arena, &kept.l) != CS_OK) {
			forget_choices();
			return NULL;
		}
		kept.loaded = monotonic_seconds();
	}
	return &kept.l;
}

/*
 * The kept lists in *l, or when they cannot be kept (inside a
 * transaction on a new connection), *fresh read now into a: CS_OK or the
 * failure.
 */
static enum cs_result
lists_for(struct db *db, struct arena *a, struct lists *fresh, const struct lists **l)
{
	if ((*l = kept_choices(db)) != NULL)
		return CS_OK;
	if (db->lost)
		return CS_DB_LOST;
	*l = fresh;
	return load_choices(db, a, fresh);
}

enum cs_result
ticket_choices_get(struct db *db, struct arena *a, struct ticket_choices *c)
{
	const struct lists *l;
	const struct ticket_choices *k;
	struct lists fresh;
	enum cs_result rc;

	if ((rc = lists_for(db, a, &fresh, &l)) != CS_OK)
		return rc;
	if (l == &fresh) {
		*c = fresh.c;
		return CS_OK;
	}
	k = &l->c;
	memset(c, 0, sizeof(*c));
	if ((c->queues = copy_options(a, k->queues, k->nqueues)) == NULL ||
	    (c->teams = copy_options(a, k->teams, k->nteams)) == NULL ||
	    (c->agents = copy_options(a, k->agents, k->nagents)) == NULL ||
	    (c->categories = copy_options(a, k->categories, k->ncategories)) == NULL ||
	    (c->products = copy_options(a, k->products, k->nproducts)) == NULL ||
	    (c->codes = copy_words(a, k->codes, k->ncodes)) == NULL ||
	    (c->code_labels = copy_words(a, k->code_labels, k->ncodes)) == NULL ||
	    (c->types = copy_words(a, k->types, k->ntypes)) == NULL ||
	    (c->type_labels = copy_words(a, k->type_labels, k->ntypes)) == NULL ||
	    (c->queue_names = copy_options(a, k->queue_names, k->nqueue_names)) == NULL ||
	    (c->staff_names = copy_options(a, k->staff_names, k->nstaff_names)) == NULL)
		return CS_FAILED;
	c->nqueues = k->nqueues;
	c->nteams = k->nteams;
	c->nagents = k->nagents;
	c->ncategories = k->ncategories;
	c->nproducts = k->nproducts;
	c->ncodes = k->ncodes;
	c->ntypes = k->ntypes;
	c->nqueue_names = k->nqueue_names;
	c->nstaff_names = k->nstaff_names;
	return CS_OK;
}

/* The name of id among n options; NULL when it is not there (or id is 0).
 * The lists are tens to hundreds long: a scan. */
static const char *
name_of(const struct db_option *o, size_t n, long long id)
{
	size_t i;

	for (i = 0; id > 0 && i < n; i++)
		if (o[i].id == id)
			return o[i].name;
	return NULL;
}

/* name, copied into a, or "" for NULL; NULL when out of memory. */
static const char *
name_copy(struct arena *a, const char *name)
{
	return arena_strdup(a, name != NULL ? name : "");
}

/* The queue, team and staff names of n's ids from the kept lists k,
 * copied into a: the lists may be read again (a NOTIFY) before the page
 * is rendered. 0, or -1 when out of memory. */
static int
name_people(const struct ticket_choices *k, struct arena *a, struct ticket_names *n)
{
	return (n->queue = name_copy(a, name_of(k->queue_names, k->nqueue_names,
	    n->queue_id))) == NULL ||
	    (n->team = name_copy(a, name_of(k->teams, k->nteams, n->team_id))) == NULL ||
	    (n->staff = name_copy(a, name_of(k->staff_names, k->nstaff_names,
	    n->staff_id))) == NULL ? -1 : 0;
}

enum cs_result
ticket_choices_names(struct db *db, struct arena *a, struct ticket_names *names, size_t n)
{
	const struct lists *l;
	struct lists fresh;
	enum cs_result rc;
	size_t i;

	if ((rc = lists_for(db, a, &fresh, &l)) != CS_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (name_people(&l->c, a, &names[i]) < 0)
			return CS_FAILED;
	return CS_OK;
}

enum cs_result
ticket_choices_name_ticket(struct db *db, struct arena *a, struct ticket *t)
{
	struct ticket_names people = { t->queue_id, t->team_id, t->assignee_id, NULL, NULL, NULL };
	const struct lists *l;
	const char *label = t->type;
	struct lists fresh;
	enum cs_result rc;
	size_t i;

	if ((rc = lists_for(db, a, &fresh, &l)) != CS_OK)
		return rc;
	for (i = 0; t->type != NULL && i < l->ntype_names; i++)
		if (strcmp(l->type_codes[i], t->type) == 0)
			label = l->type_labels[i];
	if (name_people(&l->c, a, &people) < 0)
		return CS_FAILED;
	t->queue = people.queue;
	t->team = people.team;
	t->assignee = people.staff;
	return (t->category = name_copy(a, name_of(l->category_names, l->ncategory_names,
	    t->category_id))) == NULL ||
	    (t->resolution_code = name_copy(a, name_of(l->code_names, l->ncode_names,
	    t->resolution_code_id))) == NULL ||
	    (t->type_label = name_copy(a, label)) == NULL ? CS_FAILED : CS_OK;
}

/* Copies canned response c into a (with its strings); -1 when out of memory. */
static int
copy_canned(struct arena *a, const struct canned *from, struct canned *to)
{
	*to = *from;
	return (to->title = arena_strdup(a, from->title)) == NULL ||
	    (to->body = arena_strdup(a, from->body)) == NULL ||
	    (to->team = arena_strdup(a, from->team)) == NULL ||
	    (to->created_by = arena_strdup(a, from->created_by)) == NULL ||
	    (to->created_at = arena_strdup(a, from->created_at)) == NULL ||
	    (to->set_status = arena_strdup(a, from->set_status)) == NULL ||
	    (to->set_priority = arena_strdup(a, from->set_priority)) == NULL ||
	    (to->add_tags = arena_strdup(a, from->add_tags)) == NULL ? -1 : 0;
}

enum cs_result
ticket_choices_canned(struct db *db, struct arena *a, long long staff_id,
    struct canned **out, size_t *n)
{
	const struct lists *l;
	struct lists fresh;
	long long team = 0;
	size_t i, k = 0;
	enum cs_result rc;

	*out = NULL;
	*n = 0;
	if ((rc = lists_for(db, a, &fresh, &l)) != CS_OK)
		return rc;
	for (i = 0; i < l->nmembers; i++)
		if (l->members[i].id == staff_id)
			team = l->members[i].team_id;
	if (l->ncanned == 0)
		return CS_OK;
	if ((*out = arena_calloc(a, l->ncanned, sizeof(**out))) == NULL)
		return CS_FAILED;
	/* For everyone, or for the reader's team (canned_list's rule). */
	for (i = 0; i < l->ncanned; i++) {
		const struct canned *c = &l->canned[i];

		if (c->team_id != 0 && (team == 0 || c->team_id != team))
			continue;
		if (copy_canned(a, c, &(*out)[k++]) < 0)
			return CS_FAILED;
	}
	*n = k;
	return CS_OK;
}
