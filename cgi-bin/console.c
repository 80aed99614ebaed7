/*
 * console.fcgi — the staff console (/agent/…) and, later, the API
 * (/api/…). The route table below is the map of the console; each handler
 * lives in cgi-bin/console/<area>.c.
 */
#include "console/handlers.h"
#include "auth/session.h"
#include "domain/accounts.h"

#include <string.h>

static const struct route routes[] = {
	{ HTTP_GET, "/agent/", console_home, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/login", console_login_form, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/agent/login", console_login, ACCESS_PUBLIC, 0 },
	{ HTTP_POST, "/agent/logout", console_logout, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/account", console_account, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/account/password", console_account_password, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/account/2fa", console_totp_form, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/account/2fa", console_totp_enable, ACCESS_STAFF, 0 },
	{ HTTP_POST, "/agent/account/2fa/disable", console_totp_disable, ACCESS_STAFF, 0 },
	{ HTTP_GET, "/agent/healthz", app_healthz, ACCESS_PUBLIC, 0 },
	/* Administration (admin_staff.c, admin_customers.c, admin_security.c). */
	{ HTTP_GET, "/agent/admin/", console_admin_home, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/staff", console_admin_staff_list, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/staff/new", console_admin_staff_new_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/staff/new", console_admin_staff_create, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/staff/{id}", console_admin_staff_edit_form, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/staff/{id}", console_admin_staff_update, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/teams", console_admin_teams, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/teams", console_admin_teams_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/skills", console_admin_skills, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/skills", console_admin_skills_post, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/customers", console_admin_customer_list, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/customers/new", console_admin_customer_new_form, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/customers/new", console_admin_customer_create, ACCESS_ADMIN,
		0 },
	{ HTTP_GET, "/agent/admin/customers/{id}", console_admin_customer_edit_form, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/customers/{id}", console_admin_customer_update, ACCESS_ADMIN,
		0 },
	{ HTTP_POST, "/agent/admin/customers/{id}/users/{user_id}", console_admin_customer_user,
		ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/lockouts", console_admin_lockouts, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/mail", console_admin_mail, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/audit", console_admin_audit, ACCESS_ADMIN, 0 },
	{ HTTP_GET, "/agent/admin/settings", console_admin_settings, ACCESS_ADMIN, 0 },
	{ HTTP_POST, "/agent/admin/settings", console_admin_settings_save, ACCESS_ADMIN, 0 },
};

/*
 * A staff session, with one rule on top: when the settings require a
 * second factor for admins, an admin without one keeps their other roles
 * but not admin until they enrol.
 */
static int
lookup(struct db *db, struct arena *a, const char *token, struct principal *who,
    const char **csrf)
{
	int found = session_staff_lookup(db, a, token, who, csrf);

	if (found == 1 && (who->access & ACCESS_ADMIN) && !who->totp_enabled &&
	    strcmp(accounts_setting(db, a, "require_admin_totp", "false"), "true") == 0)
		who->access &= ~(unsigned)ACCESS_ADMIN;
	return found;
}

static const struct app_def console = {
	.program = "console",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.home_path = "/agent/",
	.login_path = "/agent/login",
	.csrf_cookie = "csdesk_console_csrf",
	.body_class = "console",
	.session_cookie = "csdesk_staff",
	.lookup_session = lookup,
};

int
main(int argc, char **argv)
{
	return app_main(&console, argc, argv);
}
