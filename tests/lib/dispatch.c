/* dispatch.c — see dispatch.h. */
#include "dispatch.h"
#include "harness.h"
#include "db/db.h"
#include "domain/parts_consumers.h"
#include "domain/survey_consumers.h"
#include "domain/ticket_consumers.h"
#include "domain/ticket_notify.h"
#include "domain/warranty_consumers.h"
#include "tmpl/tmpl.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

struct tmpl_set *
th_templates(void)
{
	static struct tmpl_set *templates;
	char path[1024], err[512] = "out of memory";

	if (templates != NULL)
		return templates;
	snprintf(path, sizeof(path), "%s/templates", th_datadir());
	templates = tmpl_set_new();
	if (templates == NULL || tmpl_set_add_dir(templates, path, err, sizeof(err)) < 0 ||
	    tmpl_set_compile(templates, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "tests: templates in %s: %s\n", path, err);
		exit(2);
	}
	return templates;
}

long
th_dispatch(const char *conninfo)
{
	struct db d;
	long done = 0;

	/* What the programs use when CSDESK_SITE_NAME and CSDESK_BASE_URL are unset. */
	ticket_notify_setup(th_templates(), "csdesk", "http://127.0.0.1:8080");
	warranty_notify_setup(th_templates(), "csdesk", "http://127.0.0.1:8080");
	survey_mail_setup(th_templates(), "csdesk", "http://127.0.0.1:8080");
	parts_notify_setup(th_templates(), "csdesk", "http://127.0.0.1:8080");
	ck_assert_int_eq(db_open(&d, conninfo, "th_dispatch"), 0);
	ck_assert_int_eq(ticket_consumers_run(&d, 1000, &done), CS_OK);
	ck_assert_int_eq(warranty_consumers_run(&d, 1000, &done), CS_OK);
	ck_assert_int_eq(survey_consumers_run(&d, 1000, &done), CS_OK);
	ck_assert_int_eq(parts_consumers_run(&d, 1000, &done), CS_OK);
	db_close(&d);
	return done;
}
