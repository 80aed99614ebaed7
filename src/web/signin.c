/* signin.c — see signin.h. */
#include "web/signin.h"
#include "auth/device.h"
#include "auth/password.h"
#include "core/arena.h"
#include "db/db.h"
#include "tmpl/tval.h"
#include "web/app.h"

/* "csdesk_portal_device", "csdesk_console_device"; "__Host-" prefixed over TLS. */
static const char *
device_cookie_name(struct app *app, struct req *r)
{
	return arena_printf(r->arena, "%scsdesk_%s_device", r->https ? "__Host-" : "",
	    app->def->program);
}

int
signin_key(struct app *app, struct req *r, const char *who, struct throttle_key *k)
{
	const char *name = device_cookie_name(app, r), *value;

	k->area = app->def->program;
	k->who = who;
	k->ip = r->remote_addr;
	k->device = NULL;
	value = name ? req_cookie(r, name) : NULL;
	if (value == NULL)
		return 0;
	return device_cookie_check(&app->db, r->arena, k->area, who, value, &k->device) < 0 ?
	    -1 : 0;
}

void
signin_remember_device(struct app *app, struct req *r, struct resp *w, const char *who)
{
	struct cookie_opts o = { .http_only = 1, .secure = r->https, .same_site = "Lax",
	    .max_age = DEVICE_COOKIE_MAX_AGE };
	const char *name = device_cookie_name(app, r), *value;

	/* Without it the person is merely throttled like any new device. */
	if (name != NULL && device_cookie_new(&app->db, r->arena, app->def->program, who,
	    &value) == 0)
		resp_cookie(w, name, value, &o);
}

const char *
signin_wait_message(struct req *r, struct resp *w, int wait)
{
	int minutes = (wait + 59) / 60;

	resp_header(w, "Retry-After", arena_printf(r->arena, "%d", wait));
	return arena_printf(r->arena, "Too many failed attempts from here. Try again in %d "
	    "minute%s.", minutes, minutes == 1 ? "" : "s");
}

int
signin_link_page(struct app *app, struct req *r, struct resp *w, int status,
    const char *name, const char *token, const char *error)
{
	struct tval *ctx = app_page(app, r, "Sign in by e-mail link");

	if (ctx == NULL)
		return 500;
	tval_set_str(r->arena, ctx, "token", token ? token : "");
	if (error != NULL)
		tval_set_str(r->arena, ctx, "error", error);
	w->status = status;
	resp_header(w, "Cache-Control", "no-store");
	resp_header(w, "Referrer-Policy", "no-referrer");
	return app_render(app, r, w, name, ctx);
}

/*
 * A portal request runs in one transaction that the error page after a
 * wrong password rolls back, and the recorded failure with it. The
 * re-check comes before any change, so that transaction is committed now
 * (it holds the failure only) and a fresh one names the customer again.
 * 0 or -1.
 */
static int
keep_failure(struct app *app, struct req *r)
{
	if (!app->def->customer_scoped || r->who.kind != WHO_CUSTOMER || app->db.depth != 1)
		return 0;
	if (db_commit(&app->db) < 0 || db_begin(&app->db) < 0)
		return -1;
	return app_customer_scope(app, r->who.customer_id);
}

int
signin_recheck(struct app *app, struct req *r, struct resp *w, const char *hash,
    const char *pw, const char **why)
{
	struct throttle_key k = { app->def->program, r->who.email, r->remote_addr, NULL };
	int wait, ok;

	*why = NULL;
	/* No device exemption: whoever holds the session must know the password. */
	if ((wait = throttle_wait(&app->db, &k)) < 0)
		return 503;
	if (wait > 0) {
		*why = signin_wait_message(r, w, wait);
		return 429;
	}
	ok = *pw != '\0' && hash != NULL && password_verify(hash, pw, NULL);
	if (*pw != '\0' && (throttle_record(&app->db, &k, ok) < 0 ||
	    (!ok && keep_failure(app, r) < 0)))
		return 503;
	if (!ok) {
		*why = "Your current password is not correct.";
		return 422;
	}
	return 0;
}
