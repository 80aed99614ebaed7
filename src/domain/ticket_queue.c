/* ticket_queue.c — see ticket_queue.h. */
#include "domain/ticket_queue.h"
#include "db/db.h"

#include <string.h>

/*
 * The saved views go first in the pipe: the list adds its plan settings
 * (set_config, local to the pipe's transaction) behind them, so only the
 * list runs under them.
 */
enum cs_result
ticket_queue_read(struct db *db, struct arena *a, const struct tl_filter *f, long long staff_id,
    struct ticket_queue *q, const char **why)
{
	struct db_pipe pipe;
	enum cs_result rc;
	int views;

	memset(q, 0, sizeof(*q));
	db_pipe_init(&pipe);
	if ((views = saved_views_list_send(&pipe, a, staff_id)) < 0)
		return CS_FAILED;
	rc = ticket_list_page_pipe(db, a, f, TL_PAGE, &q->page, &pipe, why);
	if (rc == CS_OK)
		rc = saved_views_list_take(&pipe, views, a, &q->views, &q->nviews);
	db_pipe_release(&pipe);
	return rc;
}
