/* sla_admin.c — see sla_admin.h. */
#include "domain/sla_admin.h"
#include "core/utf8.h"
#include "db/db.h"

#include <string.h>

const char *const sla_admin_priorities[] = { "low", "medium", "high", "urgent", "critical",
	NULL };
const char *const sla_admin_tiers[] = { "standard", "premium", "vip", NULL };
const char *const sla_admin_pausable[] = { "new", "assigned", "in_progress", "pending_customer",
	"pending_parts", "reopened", NULL };
const char *const sla_admin_events[] = { "at_risk", "breached", "no_update", NULL };
const char *const sla_admin_notify[] = { "none", "supervisor", "manager", NULL };
const char *const sla_admin_targets[] = { "first_response", "next_response", "resolution",
	NULL };

enum { DB_COL_ENUM(SLA_ID_COLS) };

/* An option list: an id and a name, the shape db_options reads. */
static struct db_stmt categories = DB_STMT("sla_admin_categories",
    "SELECT id, name FROM categories WHERE active ORDER BY position, name", 0);

int
sla_admin_in(const char *value, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(value, list[i]) == 0)
			return 1;
	return 0;
}

void
sla_why_add(struct sla_why *why, const char *field, const char *text)
{
	size_t i;

	for (i = 0; i < why->n; i++)
		if (strcmp(why->at[i].field, field) == 0)
			return;
	if (why->n == SLA_WHY_MAX)
		return;
	why->at[why->n].field = field;
	why->at[why->n].text = text;
	why->n++;
}

void
sla_admin_check_name(struct sla_why *why, const char *name)
{
	size_t n = utf8_chars(name);

	if (n == 0)
		sla_why_add(why, "name", "Name is required.");
	else if (n > SLA_NAME_MAX)
		sla_why_add(why, "name", "Name must be at most " SLA_STR(SLA_NAME_MAX)
		    " characters long.");
}

enum cs_result
sla_admin_categories(struct db *db, struct arena *a, struct db_option **out, size_t *n)
{
	return db_options(db, a, &categories, NULL, out, n);
}

enum cs_result
sla_admin_write(struct db *db, struct db_stmt *st, const char *const *p, long long *id)
{
	PGresult *r = db_exec(db, st, p);

	*id = 0;
	if (r == NULL)
		return db_result(db);
	if (PQntuples(r) == 1)
		*id = db_ll(r, 0, SLA_ID_id);
	PQclear(r);
	return *id > 0 ? CS_OK : CS_NOT_FOUND;
}
