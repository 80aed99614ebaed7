/* ticket_form_lists.c — see ticket_form_lists.h. */
#include "domain/ticket_form_lists.h"
#include "core/arena.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define TYPE_COLS(X) X(TY, code, "code") X(TY, label, "label")
enum { DB_COL_ENUM(TYPE_COLS) };

#define CATEGORY_COLS(X) X(CA, id, "c.id") X(CA, parent_id, "coalesce(c.parent_id, 0)") \
	X(CA, name, "c.name")
enum { DB_COL_ENUM(CATEGORY_COLS) };

#define SITE_COLS(X) X(SI, id, "id") X(SI, name, "name") X(SI, address, "address")
enum { DB_COL_ENUM(SITE_COLS) };

enum stmt { ST_TYPES, ST_CATEGORIES, ST_PRODUCTS, ST_SITES, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_TYPES] = DB_STMT("ticket_form_types",
	    "SELECT " DB_COLS(TYPE_COLS) " FROM ticket_types WHERE active"
	    " ORDER BY position, label, code", 0),
	/* A sub-category of an inactive category is not offered either. */
	[ST_CATEGORIES] = DB_STMT("ticket_form_categories",
	    "SELECT " DB_COLS(CATEGORY_COLS) " FROM categories c"
	    " LEFT JOIN categories p ON p.id = c.parent_id"
	    " WHERE c.active AND (c.parent_id IS NULL OR p.active)"
	    " ORDER BY coalesce(p.position, c.position), coalesce(p.name, c.name),"
	    " coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.position, c.name, c.id", 0),
	[ST_PRODUCTS] = DB_STMT("ticket_form_products",
	    "SELECT id, name FROM products WHERE active ORDER BY name", 0),
	/* $1 is the customer; row-level security says the same in the portal. */
	[ST_SITES] = DB_STMT("ticket_form_sites",
	    "SELECT " DB_COLS(SITE_COLS) " FROM customer_sites"
	    " WHERE customer_id = $1::bigint AND active ORDER BY name, id", 1),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill_type(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_form_type *t = elem;
	int failed = 0;

	t->code = db_str(a, r, row, TY_code, &failed);
	t->label = db_str(a, r, row, TY_label, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_category(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_form_category *c = elem;
	int failed = 0;

	c->id = db_ll(r, row, CA_id);
	c->parent_id = db_ll(r, row, CA_parent_id);
	c->name = db_str(a, r, row, CA_name, &failed);
	return failed ? CS_FAILED : CS_OK;
}

static enum cs_result
fill_site(struct arena *a, const PGresult *r, int row, void *elem)
{
	struct ticket_form_site *s = elem;
	int failed = 0;

	s->id = db_ll(r, row, SI_id);
	s->name = db_str(a, r, row, SI_name, &failed);
	s->address = db_str(a, r, row, SI_address, &failed);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
ticket_form_lists_get(struct db *db, struct arena *a, long long customer_id,
    struct ticket_form_lists *l)
{
	char cust[24];
	const char *p[] = { cust };
	struct db_pipe pipe;
	void *types = NULL, *cats = NULL, *prods = NULL, *sites = NULL;
	enum cs_result rc;

	memset(l, 0, sizeof(*l));
	snprintf(cust, sizeof(cust), "%lld", customer_id);
	db_pipe_init(&pipe);
	db_pipe_add(&pipe, &stmts[ST_TYPES], NULL);
	db_pipe_add(&pipe, &stmts[ST_CATEGORIES], NULL);
	db_pipe_add(&pipe, &stmts[ST_PRODUCTS], NULL);
	db_pipe_add(&pipe, &stmts[ST_SITES], p);
	if ((rc = db_pipe_run(db, &pipe)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, ST_TYPES, a, sizeof(*l->types), fill_type, &types,
	    &l->ntypes)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, ST_CATEGORIES, a, sizeof(*l->categories), fill_category,
	    &cats, &l->ncategories)) == CS_OK &&
	    (rc = db_pipe_rows(&pipe, ST_PRODUCTS, a, sizeof(*l->products), db_fill_option,
	    &prods, &l->nproducts)) == CS_OK)
		rc = db_pipe_rows(&pipe, ST_SITES, a, sizeof(*l->sites), fill_site, &sites,
		    &l->nsites);
	db_pipe_release(&pipe);
	l->types = types;
	l->categories = cats;
	l->products = prods;
	l->sites = sites;
	return rc;
}

/* The listed category id, or NULL. */
static const struct ticket_form_category *
category(const struct ticket_form_lists *l, long long id)
{
	size_t i;

	for (i = 0; i < l->ncategories; i++)
		if (l->categories[i].id == id)
			return &l->categories[i];
	return NULL;
}

enum cs_result
ticket_form_category(const struct ticket_form_lists *l, long long cat, long long sub,
    long long *id)
{
	const struct ticket_form_category *c = cat > 0 ? category(l, cat) : NULL;
	const struct ticket_form_category *s = sub > 0 ? category(l, sub) : NULL;

	*id = 0;
	if ((cat > 0 && (c == NULL || c->parent_id != 0)) ||
	    (sub > 0 && (s == NULL || s->parent_id == 0)))
		return CS_REFUSED;
	/* Without the script every sub-category is offered: one of another
	 * category is a mistake worth saying, not a choice to guess at. */
	if (s != NULL && c != NULL && s->parent_id != c->id)
		return CS_REFUSED;
	*id = s != NULL ? s->id : c != NULL ? c->id : 0;
	return CS_OK;
}

int
ticket_form_site_listed(const struct ticket_form_lists *l, long long site)
{
	size_t i;

	for (i = 0; i < l->nsites; i++)
		if (l->sites[i].id == site)
			return 1;
	return 0;
}
