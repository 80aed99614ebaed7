/*
 * admin_customers.c — the admin pages for customer accounts: the list,
 * opening an account with its first portal login, editing an account and
 * switching its portal users on and off. Routes and access (admin only)
 * are in cgi-bin/console.c.
 */
#include "web/fields.h"
#include "console/handlers.h"
#include "auth/password.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/customers.h"
#include "tmpl/tval.h"

#include <string.h>

#define CUSTOMERS_URL "/agent/admin/customers"

static const char *const kind_labels[] = { "Person", "Company" };
static const char *const tier_labels[] = { "Standard", "Premium", "VIP" };

/* The account fields, shared by the new and edit forms. */
#define ACCOUNT_RULES \
	{ "name", "Name", FIELD_TEXT, 1, 1, CUSTOMER_NAME_MAX, NULL }, \
	{ "kind", "Kind", FIELD_CHOICE, 1, 0, 0, customer_kinds }, \
	{ "tier", "Tier", FIELD_CHOICE, 1, 0, 0, customer_tiers }, \
	{ "language", "Language", FIELD_TEXT, 1, 2, CUSTOMER_LANGUAGE_MAX, NULL }, \
	{ "phone", "Phone", FIELD_TEXT, 0, 0, CUSTOMER_PHONE_MAX, NULL }
enum { AC_NAME, AC_KIND, AC_TIER, AC_LANG, AC_PHONE, AC__MAX };

static const struct field_rule new_rules[] = {
	ACCOUNT_RULES,
	{ "email", "Login e-mail address", FIELD_EMAIL, 1, 0, 0, NULL },
	{ "login_name", "Login name", FIELD_TEXT, 1, 1, CUSTOMER_NAME_MAX, NULL },
	{ "password", "Initial password", FIELD_PASSWORD, 1, 0, 0, NULL },
};
enum { NEW_EMAIL = AC__MAX, NEW_LOGIN_NAME, NEW_PASSWORD, NEW__MAX };
_Static_assert(sizeof(new_rules) / sizeof(new_rules[0]) == NEW__MAX, "one rule per field");

static const struct field_rule edit_rules[] = {
	ACCOUNT_RULES,
	{ "active", "Active", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { ED_ACTIVE = AC__MAX, ED__MAX };
_Static_assert(sizeof(edit_rules) / sizeof(edit_rules[0]) == ED__MAX, "one rule per field");

/* What the buttons next to a portal user do: op → flag, on. */
static const struct {
	const char *op;
	enum customer_flag flag;
	int on;
	const char *done;
} user_ops[] = {
	{ "activate", CUSTOMER_USER_ACTIVE, 1, "can sign in again." },
	{ "deactivate", CUSTOMER_USER_ACTIVE, 0, "was deactivated and signed out." },
	{ "grant_admin", CUSTOMER_USER_ACCOUNT_ADMIN, 1, "now sees the whole account." },
	{ "revoke_admin", CUSTOMER_USER_ACCOUNT_ADMIN, 0, "now sees only their own "
	    "requests." },
};
#define NUSER_OPS (sizeof(user_ops) / sizeof(user_ops[0]))

/* The buttons' values, in user_ops order. */
static const char *const user_op_values[] = {
	"activate", "deactivate", "grant_admin", "revoke_admin", NULL
};
_Static_assert(sizeof(user_op_values) / sizeof(user_op_values[0]) == NUSER_OPS + 1,
    "one value per operation");

static const struct field_rule user_rules[] = {
	{ "op", "Action", FIELD_CHOICE, 1, 0, 0, user_op_values },
};

static int
render(struct app *app, struct req *r, struct resp *w, const char *name, struct tval *ctx,
    int status)
{
	w->status = status;
	return app_render(app, r, w, name, ctx);
}

/* Checks what the account rules cannot say alone; fills c from vals. */
static void
account_posted(struct field_form *f, const char *const *v, struct customer_account *c)
{
	c->name = v[AC_NAME];
	c->kind = v[AC_KIND];
	c->tier = v[AC_TIER];
	c->language = v[AC_LANG];
	c->phone = v[AC_PHONE];
	if (*c->language != '\0' && !customer_language_ok(c->language))
		fields_error(f, "language", "Language must be a code like en or en-GB.");
	if (*c->phone != '\0' && !customer_phone_ok(c->phone))
		fields_error(f, "phone", "Phone may hold digits, spaces and + - ( ) . / only.");
}

/* The kind and tier selects, current values picked. */
static int
account_selects(struct arena *a, struct tval *ctx, const struct field_form *f)
{
	const struct tval *kind = tval_get(f->values, "kind"), *tier = tval_get(f->values, "tier");

	return tval_set(a, ctx, "kind_options", fields_select(a, customer_kinds, kind_labels, 2,
	    kind ? kind->u.str.s : NULL)) |
	    tval_set(a, ctx, "tier_options", fields_select(a, customer_tiers, tier_labels, 3,
	    tier ? tier->u.str.s : NULL));
}

/* --- the list ------------------------------------------------------------ */

static const char *
list_url(struct arena *a, const char *text, long long before)
{
	struct buf b;

	buf_init(&b, a);
	buf_addstr(&b, CUSTOMERS_URL "?q=");
	url_encode(&b, text);
	if (before > 0)
		buf_printf(&b, "&before=%lld", before);
	return buf_failed(&b) ? NULL : b.buf;
}

int
console_admin_customer_list(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Customers"), *list;
	struct arena *a = r->arena;
	struct customer_query q = { 0 };
	struct customer_row *rows;
	const char *text = req_query(r, "q");
	size_t n, i;
	long long next;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (web_query_key(r, "before", &q.before) < 0)
		return app_bad_query(app, r, w, "before", NULL, NULL);
	text = fields_trim(a, text ? text : "");
	if (text == NULL)
		return 500;
	q.text = text;
	switch (customer_list(&app->db, a, &q, &rows, &n, &next)) {
	case CS_OK:
		break;
	case CS_REFUSED:	/* a search longer than any name */
		return app_bad_query(app, r, w, "q", NULL, NULL);
	default:
		return web_db_error(app);
	}
	for (i = 0; i < n; i++) {
		struct tval *row = tval_map(a);

		rc |= tval_set_int(a, row, "id", rows[i].id);
		rc |= tval_set_str(a, row, "name", rows[i].name);
		rc |= tval_set_str(a, row, "kind", rows[i].kind);
		rc |= tval_set_str(a, row, "tier", rows[i].tier);
		rc |= tval_set_str(a, row, "language", rows[i].language);
		rc |= tval_set_str(a, row, "email", rows[i].email);
		rc |= tval_set_int(a, row, "users", rows[i].users);
		rc |= tval_set_bool(a, row, "active", rows[i].active);
		rc |= tval_push(a, list, row);
	}
	rc |= tval_set(a, ctx, "customers", list);
	rc |= tval_set_str(a, ctx, "q", text);
	rc |= tval_set_bool(a, ctx, "pager", next > 0 || q.before > 0);
	if (next > 0)
		rc |= tval_set_str(a, ctx, "next_url", list_url(a, text, next));
	if (q.before > 0)
		rc |= tval_set_str(a, ctx, "first_url", list_url(a, text, 0));
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/customer_list", ctx);
}

/* --- opening an account --------------------------------------------------- */

static int
new_render(struct app *app, struct req *r, struct resp *w, struct field_form *f, int status)
{
	struct tval *ctx = app_page(app, r, "New customer");

	if (ctx == NULL || fields_ctx(f, ctx) < 0 || account_selects(r->arena, ctx, f) < 0)
		return 500;
	return render(app, r, w, "console/admin/customer_new", ctx, status);
}

int
console_admin_customer_new_form(struct app *app, struct req *r, struct resp *w)
{
	struct field_form f;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_value(&f, "kind", "person");
	fields_value(&f, "tier", "standard");
	fields_value(&f, "language", "en");
	return f.failed ? 500 : new_render(app, r, w, &f, 200);
}

int
console_admin_customer_create(struct app *app, struct req *r, struct resp *w)
{
	struct customer_new in = { 0 };
	struct customer_account *c = &in.account;
	const char *v[NEW__MAX], *why;
	char hash[PASSWORD_HASH_MAX];
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;
	long long id, user_id;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	fields_check(&f, r, new_rules, NEW__MAX, v, NULL);
	account_posted(&f, v, c);
	if (*v[NEW_PASSWORD] != '\0' && *v[NEW_EMAIL] != '\0' && *v[NEW_LOGIN_NAME] != '\0' &&
	    (why = password_weakness(v[NEW_PASSWORD], v[NEW_EMAIL], v[NEW_LOGIN_NAME])) != NULL)
		fields_error(&f, "password", why);
	if (f.failed)
		return 500;
	if (f.nerrors)
		return new_render(app, r, w, &f, 422);
	if (password_hash(v[NEW_PASSWORD], hash) < 0)
		return 503;
	web_audit_actor(r, &by);
	in.login_email = v[NEW_EMAIL];
	in.login_name = v[NEW_LOGIN_NAME];
	in.password_hash = hash;
	in.verified = 1;	/* an admin typed it */
	rc = customer_create(&app->db, &by, &in, &id, &user_id, &why);
	sodium_memzero(hash, sizeof(hash));
	if (rc == CS_TAKEN || rc == CS_REFUSED) {
		fields_error(&f, rc == CS_TAKEN ? "email" : "name", rc == CS_TAKEN ?
		    "A portal login with this e-mail address already exists." : why);
		return new_render(app, r, w, &f, 422);
	}
	if (rc != CS_OK)
		return web_db_error(app);
	web_flash(app, r, w, "The account %s was opened.", utf8_short(r->arena, c->name,
	    FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, CUSTOMERS_URL "/%lld", id));
	return 0;
}

/* --- editing an account --------------------------------------------------- */

static int
edit_render(struct app *app, struct req *r, struct resp *w, struct field_form *f,
    const struct customer_account *stored, const struct customer_user *users,
    size_t nusers, int active_checked, int status)
{
	struct tval *ctx = app_page(app, r, stored->name), *list, *account;
	struct arena *a = r->arena;
	size_t i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL || (account = tval_map(a)) == NULL)
		return 500;
	for (i = 0; i < nusers; i++) {
		struct tval *u = tval_map(a);

		rc |= tval_set_int(a, u, "id", users[i].id);
		rc |= tval_set_str(a, u, "name", users[i].name);
		rc |= tval_set_str(a, u, "email", users[i].email);
		rc |= tval_set_bool(a, u, "verified", users[i].verified);
		rc |= tval_set_bool(a, u, "active", users[i].active);
		rc |= tval_set_bool(a, u, "account_admin", users[i].account_admin);
		rc |= tval_set_str(a, u, "created_at", users[i].created_at);
		rc |= tval_push(a, list, u);
	}
	rc |= tval_set_int(a, account, "id", stored->id);
	rc |= tval_set_str(a, account, "name", stored->name);
	rc |= tval_set_bool(a, account, "active", stored->active);
	rc |= tval_set_str(a, account, "created_at", stored->created_at);
	rc |= tval_set(a, ctx, "account", account);
	rc |= tval_set(a, ctx, "users", list);
	rc |= tval_set_bool(a, ctx, "active_checked", active_checked);
	rc |= fields_ctx(f, ctx);
	rc |= account_selects(a, ctx, f);
	if (rc)
		return 500;
	return render(app, r, w, "console/admin/customer_edit", ctx, status);
}

/* Loads the account of the path's {id}: 1, or an error status. */
static int
load(struct app *app, struct req *r, struct customer_account *c,
    struct customer_user **users, size_t *n)
{
	long long id = web_path_id(r, "id");
	enum cs_result rc;

	if (id == 0)
		return 404;
	rc = customer_get(&app->db, r->arena, id, c, users, n);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	return 1;
}

int
console_admin_customer_edit_form(struct app *app, struct req *r, struct resp *w)
{
	struct customer_account c;
	struct customer_user *users;
	struct field_form f;
	size_t n;
	int st;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((st = load(app, r, &c, &users, &n)) != 1)
		return st;
	fields_value(&f, "name", c.name);
	fields_value(&f, "kind", c.kind);
	fields_value(&f, "tier", c.tier);
	fields_value(&f, "language", c.language);
	fields_value(&f, "phone", c.phone);
	if (f.failed)
		return 500;
	return edit_render(app, r, w, &f, &c, users, n, c.active, 200);
}

int
console_admin_customer_update(struct app *app, struct req *r, struct resp *w)
{
	struct customer_account stored, c = { 0 };
	struct customer_user *users;
	const char *v[ED__MAX], *why;
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;
	size_t n;
	int st;

	if (fields_init(&f, r->arena) < 0)
		return 500;
	if ((st = load(app, r, &stored, &users, &n)) != 1)
		return st;
	fields_check(&f, r, edit_rules, ED__MAX, v, NULL);
	account_posted(&f, v, &c);
	c.id = stored.id;
	c.active = *v[ED_ACTIVE] != '\0';
	if (f.failed)
		return 500;
	if (f.nerrors)
		return edit_render(app, r, w, &f, &stored, users, n, c.active, 422);
	web_audit_actor(r, &by);
	rc = customer_update(&app->db, &by, &c, &why);
	if (rc == CS_REFUSED) {
		fields_error(&f, "name", why);
		return edit_render(app, r, w, &f, &stored, users, n, c.active, 422);
	}
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	web_flash(app, r, w, stored.active && !c.active ?
	    "%s was deactivated; its people were signed out." : "Changes to %s were saved.",
	    utf8_short(r->arena, c.name, FLASH_NAME));
	resp_redirect(w, arena_printf(r->arena, CUSTOMERS_URL "/%lld", c.id));
	return 0;
}

int
console_admin_customer_user(struct app *app, struct req *r, struct resp *w)
{
	long long cid = web_path_id(r, "id"), uid = web_path_id(r, "user_id");
	const char *op, *name = NULL;
	struct customer_account c;
	struct customer_user *users;
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;
	size_t i, k, n;
	int st;

	if (cid == 0 || uid == 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, user_rules, 1, &op, NULL) > 0)
		return 400;
	for (k = 0; k < NUSER_OPS && strcmp(op, user_ops[k].op) != 0; k++)
		;
	if (k == NUSER_OPS)
		return 400;
	if ((st = load(app, r, &c, &users, &n)) != 1)
		return st;
	for (i = 0; i < n; i++)
		if (users[i].id == uid)
			name = users[i].name;
	if (name == NULL)
		return 404;
	web_audit_actor(r, &by);
	rc = customer_user_set(&app->db, &by, cid, uid, user_ops[k].flag, user_ops[k].on);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	web_flash(app, r, w, "%s %s", utf8_short(r->arena, name, FLASH_NAME), user_ops[k].done);
	resp_redirect(w, arena_printf(r->arena, CUSTOMERS_URL "/%lld", cid));
	return 0;
}
