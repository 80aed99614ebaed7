/* render.c — page contexts, templates and error pages; see app.h. */
#include "web/app.h"
#include "web/i18n.h"
#include "core/arena.h"
#include "core/log.h"
#include "tmpl/tmpl.h"
#include "tmpl/tval.h"

#include <sodium.h>
#include <string.h>

/* Puts the flash message from the cookie, if any, into the page. */
static int
add_flash(struct req *r, struct tval *ctx)
{
	const char *c = req_cookie(r, FLASH_COOKIE);
	struct tval *flash;
	unsigned char *raw;
	size_t len;

	if (c == NULL || strlen(c) > 1000 || strcmp(c, "-") == 0)
		return 0;
	raw = arena_alloc(r->arena, strlen(c) + 1);
	if (raw == NULL)
		return -1;
	r->flash_shown = 1;
	if (sodium_base642bin(raw, strlen(c), c, strlen(c), NULL, &len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len < 2 ||
	    (raw[0] != 'e' && raw[0] != 'o'))
		return 0;
	flash = tval_map(r->arena);
	return tval_set_bool(r->arena, flash, "error", raw[0] == 'e') |
	    tval_set(r->arena, flash, "text", tval_strn(r->arena, (const char *)raw + 1, len - 1)) |
	    tval_set(r->arena, ctx, "flash", flash);
}

/*
 * here: the page's place for the navigation's aria-current — the first
 * path segment after the home path, and the first two joined by "_"
 * ("/agent/tickets/new" sets tickets and tickets_new; the home sets home).
 */
static int
add_here(struct req *r, const char *home, struct tval *ctx)
{
	struct arena *a = r->arena;
	struct tval *here = tval_map(a);
	const char *p = r->path;
	size_t n1, n2;
	int rc = here == NULL;

	if (strncmp(p, home, strlen(home)) == 0)
		p += strlen(home);
	else if (*p == '/')
		p++;
	n1 = strcspn(p, "/");
	if (n1 == 0)
		return rc | tval_set_bool(a, here, "home", 1) | tval_set(a, ctx, "here", here);
	rc |= tval_set_bool(a, here, arena_printf(a, "%.*s", (int)n1, p), 1);
	if (p[n1] == '/' && (n2 = strcspn(p + n1 + 1, "/")) > 0)
		rc |= tval_set_bool(a, here, arena_printf(a, "%.*s_%.*s", (int)n1, p, (int)n2,
		    p + n1 + 1), 1);
	return rc | tval_set(a, ctx, "here", here);
}

/* A staff member's settings the layout needs: theme, shortcuts, time zone. */
static int
add_ui(struct arena *a, const struct principal *who, struct tval *ctx)
{
	struct tval *ui = tval_map(a);
	const char *theme = who->theme != NULL ? who->theme : "system";

	return ui == NULL || tval_set_str(a, ui, "theme", theme) |
	    tval_set_bool(a, ui, "shortcuts", who->shortcuts) |
	    tval_set_bool(a, ui, "after_next", who->after_next) |
	    tval_set_str(a, ui, "time_zone", who->time_zone != NULL ? who->time_zone : "UTC") |
	    tval_set(a, ctx, "ui", ui);
}

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
	rc |= add_flash(r, ctx);
	rc |= add_here(r, app->def->home_path, ctx);
	/* The interface strings in the person's language (i18n.h). */
	if (i18n_catalogue(r->who.language) != NULL)
		rc |= tval_set(a, ctx, "l", i18n_catalogue(r->who.language));
	if (r->who.kind == WHO_STAFF)
		rc |= add_ui(a, &r->who, ctx);
	if (r->who.kind != WHO_NOBODY) {
		struct tval *user = tval_map(a);

		rc |= tval_set_str(a, user, "name", r->who.name);
		rc |= tval_set_str(a, user, "email", r->who.email);
		if (r->who.kind == WHO_STAFF) {
			struct tval *roles = tval_list(a);
			const char *p = r->who.roles;

			while (*p) {
				size_t n = strcspn(p, ",");

				rc |= tval_push(a, roles, tval_strn(a, p, n));
				p += n + (p[n] == ',');
			}
			rc |= tval_set(a, user, "roles", roles);
			rc |= tval_set_bool(a, user, "admin", (r->who.access & ACCESS_ADMIN) != 0);
			rc |= tval_set_bool(a, user, "supervisor",
			    (r->who.access & (ACCESS_SUPERVISOR | ACCESS_ADMIN)) != 0);
			/* A warehouse-only person's menu is returns alone. */
			rc |= tval_set_bool(a, user, "desk", (r->who.access & ACCESS_STAFF) != 0);
			rc |= tval_set_bool(a, user, "technician",
			    (r->who.access & ACCESS_TECHNICIAN) != 0);
			rc |= tval_set_bool(a, user, "warehouse",
			    (r->who.access & (ACCESS_WAREHOUSE | ACCESS_ADMIN)) != 0);
		}
		rc |= tval_set(a, ctx, "user", user);
	}
	return rc ? NULL : ctx;
}

void
app_flash(struct app *app, struct req *r, struct resp *w, int error, const char *text)
{
	struct cookie_opts o = { .http_only = 1, .secure = r->https, .same_site = "Lax",
		.max_age = 120 };
	size_t n = strlen(text) + 1, cap;
	char *raw, *enc;

	(void)app;
	if (n > 600)
		n = 600;
	raw = arena_alloc(r->arena, n);
	cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	enc = arena_alloc(r->arena, cap);
	if (raw == NULL || enc == NULL)
		return;
	raw[0] = error ? 'e' : 'o';
	memcpy(raw + 1, text, n - 1);
	sodium_bin2base64(enc, cap, (const unsigned char *)raw, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	resp_cookie(w, FLASH_COOKIE, enc, &o);
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

int
app_bad_query(struct app *app, struct req *r, struct resp *w, const char *param,
    const char *why, const char *back)
{
	struct tval *ctx = app_page(app, r, "Bad request");
	struct arena *a = r->arena;
	const char *msg;

	if (ctx == NULL)
		return 500;
	if (param != NULL)
		msg = arena_printf(a, "The value of “%s” in the address is not one this page "
		    "understands. Go back to the list and choose it again.", param);
	else
		msg = arena_printf(a, "%s Go back to the list and choose it again.",
		    why != NULL ? why : "A value in the address is not one this page understands.");
	if (msg == NULL || tval_set_int(a, ctx, "status", 400) |
	    tval_set_str(a, ctx, "reason", "Bad request") | tval_set_str(a, ctx, "message", msg) |
	    tval_set_str(a, ctx, "back_url", back != NULL ? back : r->path) |
	    tval_set_str(a, ctx, "param", param != NULL ? param : ""))
		return 500;
	w->status = 400;
	return app_render(app, r, w, "errors/error", ctx);
}

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
