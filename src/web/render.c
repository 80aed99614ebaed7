/* render.c — page contexts, templates and error pages; see app.h. */
#include "web/app.h"
#include "core/arena.h"
#include "core/log.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

#include <string.h>

struct tval *
app_page(struct app *app, struct req *r, const char *title)
{
	struct arena *a = r->arena;
	struct tval *ctx = tval_map(a), *site = tval_map(a);
	int rc = 0;

	if (ctx == NULL || site == NULL)
		return NULL;
	rc |= tval_set_str(a, site, "name", app->cfg.site_name);
	rc |= tval_set_str(a, site, "support_email", app->cfg.support_email);
	rc |= tval_set_str(a, site, "support_phone", app->cfg.support_phone);
	rc |= tval_set_str(a, site, "support_hours", app->cfg.support_hours);
	rc |= tval_set(a, ctx, "site", site);
	rc |= tval_set_bool(a, ctx, app->def->body_class, 1);
	rc |= tval_set_str(a, ctx, "page_title", title);
	rc |= tval_set_str(a, ctx, "csrf_token", r->csrf_token ? r->csrf_token : "");
	rc |= tval_set_str(a, ctx, "asset_version", app->asset_version);
	rc |= tval_set_str(a, ctx, "home_url", app->def->home_path);
	return rc ? NULL : ctx;
}

int
app_render(struct app *app, struct req *r, struct resp *w, const char *name, struct tval *ctx)
{
	(void)r;
	if (ctx == NULL)
		return 500;
	if (tmpl_render(app->tmpl, name, ctx, &w->body) < 0 || buf_failed(&w->body)) {
		log_error("render %s failed", name);
		return 500;
	}
	return 0;
}

static const struct {
	int status;
	const char *message;
} default_messages[] = {
	{ 400, "The request could not be understood. Check the address or the form and try again." },
	{ 403, "You are not allowed to do this. If you were filling in a form, it may have "
	    "expired: go back, reload the page and try again." },
	{ 404, "There is nothing at this address. It may have moved, or the link may be wrong." },
	{ 405, "This address does not accept that kind of request." },
	{ 413, "What you sent is larger than we accept. Attach smaller files or fewer of them." },
	{ 415, "This address does not accept that kind of content." },
	{ 429, "Too many attempts. Wait a little and try again." },
	{ 500, "Something went wrong on our side. It has been logged; please try again." },
	{ 503, "The service is briefly unavailable. Please try again in a moment." },
};

void
app_error(struct app *app, struct req *r, struct resp *w, int status, const char *message)
{
	struct tval *ctx;
	size_t i;

	if (status < 400 || status > 599)
		status = 500;
	for (i = 0; message == NULL && i < sizeof(default_messages) / sizeof(default_messages[0]);
	    i++)
		if (default_messages[i].status == status)
			message = default_messages[i].message;
	if (message == NULL)
		message = "The request could not be completed.";
	w->status = status;
	w->content_type = "text/html; charset=utf-8";
	buf_reset(&w->body);
	ctx = app_page(app, r, http_reason(status));
	if (ctx != NULL) {
		tval_set_int(r->arena, ctx, "status", status);
		tval_set_str(r->arena, ctx, "reason", http_reason(status));
		tval_set_str(r->arena, ctx, "message", message);
	}
	if (ctx == NULL || app_render(app, r, w, "errors/error", ctx) != 0) {
		/* Out of memory or a broken template: plain text still informs. */
		buf_reset(&w->body);
		w->body.failed = 0;
		w->content_type = "text/plain; charset=utf-8";
		buf_printf(&w->body, "%d %s\n%s\n", status, http_reason(status), message);
	}
}
