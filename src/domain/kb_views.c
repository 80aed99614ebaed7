/* kb_views.c — see kb_views.h. */
#include "domain/kb_views.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct {
	long long id[KB_VIEWS_SLOTS];
	long long count[KB_VIEWS_SLOTS];
	int used;
	long long pending;
	time_t last_flush;
} views;

void
kb_views_count(long long article_id)
{
	unsigned long long h = (unsigned long long)article_id * 0x9e3779b97f4a7c15ull;
	size_t i, k = (size_t)(h >> 56) % KB_VIEWS_SLOTS;

	if (views.last_flush == 0)
		views.last_flush = time(NULL);
	for (i = 0; i < KB_VIEWS_SLOTS; i++, k = (k + 1) % KB_VIEWS_SLOTS) {
		if (views.id[k] == article_id) {
			views.count[k]++;
			views.pending++;
			return;
		}
		if (views.id[k] == 0)
			break;
	}
	/*
	 * A flush is due once half the slots are used and runs after every
	 * request, so the table cannot fill; were it full, the view is lost
	 * rather than a lookup left without an empty slot to end on.
	 */
	if (i == KB_VIEWS_SLOTS || views.used + 1 >= KB_VIEWS_SLOTS)
		return;
	views.id[k] = article_id;
	views.count[k] = 1;
	views.used++;
	views.pending++;
}

long long
kb_views_pending(void)
{
	return views.pending;
}

static struct db_stmt st_add = DB_STMT("kb_add_views", "SELECT kb_add_views($1, $2)", 2);

/* Appends n as an array element to a {…} literal being built in out. CS_OK, or CS_FAILED when out is full. */
static enum cs_result
add_elem(char *out, size_t size, size_t *len, long long n)
{
	int w = snprintf(out + *len, size - *len, "%s%lld", *len > 1 ? "," : "", n);

	if (w < 0 || (size_t)w >= size - *len)
		return CS_FAILED;
	*len += (size_t)w;
	return CS_OK;
}

enum cs_result
kb_views_flush(struct db *db, int force)
{
	/* Every slot: up to 20 digits and a comma each. */
	char ids[KB_VIEWS_SLOTS * 22 + 3] = "{", counts[sizeof(ids)] = "{";
	size_t il = 1, cl = 1, k;
	const char *p[] = { ids, counts };
	time_t now = time(NULL);

	if (views.pending == 0)
		return CS_OK;
	if (!force && views.pending < KB_VIEWS_PENDING_MAX && views.used < KB_VIEWS_SLOTS / 2 &&
	    now - views.last_flush < KB_VIEWS_FLUSH_SECONDS)
		return CS_OK;
	for (k = 0; k < KB_VIEWS_SLOTS; k++)
		if (views.id[k] != 0 && (add_elem(ids, sizeof(ids), &il, views.id[k]) != CS_OK ||
		    add_elem(counts, sizeof(counts), &cl, views.count[k]) != CS_OK))
			return CS_FAILED;
	memcpy(ids + il, "}", 2);
	memcpy(counts + cl, "}", 2);
	if (db_ensure(db) < 0)
		return CS_DB_LOST;
	if (db_run(db, &st_add, p) < 0)
		return db_result(db);
	memset(&views, 0, sizeof(views));
	views.last_flush = now;
	return CS_OK;
}
