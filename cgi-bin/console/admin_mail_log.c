/*
 * admin_mail_log.c — the mail log (/agent/admin/mail-log): every message
 * received, newest first, with where it went and why, filtered by outcome
 * and paged by key; and one message with its original text, shown as
 * text (escaped by the template: nothing in a mail is active here).
 * Routes (admin only): cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/mail_log.h"
#include "tmpl/tval.h"
#include "web/result.h"

#include <string.h>

/* One row as the templates show it. */
static struct tval *
row_map(struct arena *a, const struct mail_log_row *m)
{
	struct tval *t = tval_map(a);
	int rc = t == NULL;

	rc |= tval_set_int(a, t, "id", m->id);
	rc |= tval_set_str(a, t, "received_at", m->received_at);
	rc |= tval_set_str(a, t, "from", m->from_addr);
	rc |= tval_set_str(a, t, "subject", m->subject);
	rc |= tval_set_str(a, t, "status", m->status);
	rc |= tval_set_str(a, t, "why", m->why);
	rc |= tval_set_str(a, t, "ticket", m->ticket);
	rc |= tval_set_str(a, t, "suggested", m->suggested);
	rc |= tval_set_bool(a, t, "review", m->review);
	rc |= tval_set_int(a, t, "kb", (m->size + 1023) / 1024);
	return rc ? NULL : t;
}

int
console_admin_mail_log(struct app *app, struct req *r, struct resp *w)
{
	static const char *const statuses[] = { "", "ticket", "reply", "note", "bounce", "ignored",
		"failed", "received" };
	static const char *const labels[] = { "All", "New tickets", "Replies", "Notes for review",
		"Bounces", "Ignored", "Failed", "Not filed yet" };
	struct tval *ctx = app_page(app, r, "Mail log"), *list;
	const char *status = req_query(r, "status");
	struct mail_log_row *rows;
	long long before = 0, next = 0;
	size_t n, i;
	enum cs_result res;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(r->arena)) == NULL)
		return 500;
	if (web_query_key(r, "before", &before) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	if (status != NULL && status[0] == '\0')
		status = NULL;
	if (status != NULL && !mail_log_status_ok(status))
		return 400;
	if ((res = mail_log_page(&app->db, r->arena, status, before, &rows, &n, &next)) != CS_OK)
		return web_result_status(res);
	for (i = 0; i < n; i++)
		rc |= tval_push(r->arena, list, row_map(r->arena, &rows[i]));
	rc |= tval_set(r->arena, ctx, "messages", list);
	rc |= tval_set(r->arena, ctx, "status_options", fields_select(r->arena, statuses, labels,
	    sizeof(statuses) / sizeof(statuses[0]), status != NULL ? status : ""));
	if (next > 0)
		rc |= tval_set_str(r->arena, ctx, "next", arena_printf(r->arena,
		    "/agent/admin/mail-log?before=%lld%s%s", next, status ? "&status=" : "",
		    status ? status : ""));
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/mail_log", ctx);
}

int
console_admin_mail_message(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Received message"), *m;
	long long id = web_path_id(r, "id");
	struct mail_log_row row;
	const char *original;
	enum cs_result res;
	int cut;

	if (id <= 0)
		return 404;
	if (ctx == NULL)
		return 500;
	if ((res = mail_log_get(&app->db, r->arena, id, &row, &original, &cut)) != CS_OK)
		return web_result_status(res);
	if ((m = row_map(r->arena, &row)) == NULL || tval_set(r->arena, ctx, "message", m) ||
	    tval_set_str(r->arena, ctx, "original", original) ||
	    tval_set_bool(r->arena, ctx, "cut", cut))
		return 500;
	return app_render(app, r, w, "console/admin/mail_message", ctx);
}
