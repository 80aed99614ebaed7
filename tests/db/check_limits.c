/*
 * Customer limits (issue 12): a customer's account that opens tickets or
 * replies faster than customer_limits.h allows is told to slow down
 * (CS_LIMITED, 429, with a sentence and a wait), and so is one past its
 * daily attachment quota, in files or in megabytes (the admins' two
 * settings); staff working on the same account are not held back.
 */
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/customer_limits.h"
#include "domain/tickets.h"
#include "web/result.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;

static struct db_stmt st_set = DB_STMT("t_lim_set",
    "UPDATE settings SET value = $2 WHERE key = $1", 2);

static void
suite_setup(void)
{
	conninfo = th_db_create("limits");
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_limits"), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	const char *files[] = { "customer_files_per_day", "50" };
	const char *mb[] = { "customer_file_mb_per_day", "100" };

	ck_assert_int_eq(db_run(&owner, &st_set, files), 0);
	ck_assert_int_eq(db_run(&owner, &st_set, mb), 0);
	arena_free(arena);
	db_close(&owner);
}

static void
set(const char *key, const char *value)
{
	const char *p[] = { key, value };

	ck_assert_int_eq(db_run(&owner, &st_set, p), 0);
}

static struct ticket_actor_ref
customer(const struct fx_person *p)
{
	struct ticket_actor_ref by = { TA_CUSTOMER, p->id, p->customer_id, 1, 0 };

	return by;
}

/* n files named name of size bytes each into f; the data, to free(). */
static unsigned char *
some_files(struct ticket_file *f, size_t n, size_t size, const char *name)
{
	unsigned char *data = calloc(size + 1, 1);
	size_t i;

	ck_assert_ptr_nonnull(data);
	memset(data, 'x', size);
	for (i = 0; i < n; i++)
		f[i] = (struct ticket_file){ name, "text/plain", data, size };
	return data;
}

/* Opens a ticket for c's account as by, with n files of size bytes each. */
static enum cs_result
open_as(const struct ticket_actor_ref *by, const struct fx_person *c, size_t n, size_t size,
    struct ticket_opened *out, const char **why)
{
	struct ticket_file f[TICKET_FILES_MAX];
	unsigned char *data = some_files(f, n, size, "notes.txt");
	struct ticket_new t = { 0 };
	enum cs_result rc;

	t.customer_id = c->customer_id;
	t.requester_id = c->id;
	t.channel = by->kind == TA_CUSTOMER ? "portal" : "phone";
	t.subject = "The printer jams";
	t.description = "Every page.";
	t.files = f;
	t.nfiles = n;
	rc = ticket_open(&owner, arena, by, &t, out, why);
	free(data);
	return rc;
}

/* A public reply on ticket_id as by, with n files of size bytes each. */
static enum cs_result
reply_as(const struct ticket_actor_ref *by, long long ticket_id, size_t n, size_t size,
    struct ticket_replied *out, const char **why)
{
	struct ticket_file f[TICKET_FILES_MAX];
	unsigned char *data = some_files(f, n, size, "log.txt");
	struct ticket_reply_in in = { 0 };
	enum cs_result rc;

	in.ticket_id = ticket_id;
	in.kind = "public";
	in.body = "Still jamming.";
	in.files = f;
	in.nfiles = n;
	rc = ticket_reply(&owner, arena, by, &in, out, why);
	free(data);
	return rc;
}

START_TEST(creation_limit_says_slow_down)
{
	struct fx_person c, agent;
	struct ticket_actor_ref by, staff = { TA_STAFF, 0, 0, 0, 0 };
	struct ticket_opened out;
	const char *why = NULL;
	int i;

	fx_customer(conninfo, "Rita Rapid", "Rapid Ltd", "standard", &c);
	fx_staff(conninfo, "Stan Phone", "agent", &agent);
	staff.id = agent.id;
	by = customer(&c);
	for (i = 0; i < CUSTOMER_TICKETS_PER_MINUTE; i++)
		ck_assert_int_eq(open_as(&by, &c, 0, 0, &out, &why), CS_OK);
	ck_assert_int_eq(open_as(&by, &c, 0, 0, &out, &why), CS_LIMITED);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, "in the last minute") != NULL && strstr(why, "wait") != NULL,
	    "%s", why);
	ck_assert_int_ge(out.retry_after, 1);
	ck_assert_int_le(out.retry_after, 60);
	ck_assert_str_eq(cs_result_str(CS_LIMITED), "limited");
	ck_assert_int_eq(web_result_status(CS_LIMITED), 429);
	/* Staff opening tickets for the same account are not held back. */
	for (i = 0; i < CUSTOMER_TICKETS_PER_MINUTE + 2; i++)
		ck_assert_int_eq(open_as(&staff, &c, 0, 0, &out, &why), CS_OK);
}
END_TEST

START_TEST(reply_limit_says_slow_down)
{
	struct fx_person c, agent;
	struct ticket_actor_ref by, staff = { TA_STAFF, 0, 0, 0, 0 };
	struct ticket_opened t;
	struct ticket_replied out;
	const char *why = NULL;
	int i;

	fx_customer(conninfo, "Rhea Chatty", "Chatty Ltd", "standard", &c);
	fx_staff(conninfo, "Sam Answers", "agent", &agent);
	staff.id = agent.id;
	by = customer(&c);
	ck_assert_int_eq(open_as(&by, &c, 0, 0, &t, &why), CS_OK);
	for (i = 0; i < CUSTOMER_REPLIES_PER_MINUTE; i++)
		ck_assert_int_eq(reply_as(&by, t.id, 0, 0, &out, &why), CS_OK);
	ck_assert_int_eq(reply_as(&by, t.id, 0, 0, &out, &why), CS_LIMITED);
	ck_assert_msg(strstr(why, "replies in the last minute") != NULL, "%s", why);
	ck_assert_int_ge(out.retry_after, 1);
	for (i = 0; i < CUSTOMER_REPLIES_PER_MINUTE + 2; i++)
		ck_assert_int_eq(reply_as(&staff, t.id, 0, 0, &out, &why), CS_OK);
}
END_TEST

START_TEST(file_count_quota)
{
	struct fx_person c, agent;
	struct ticket_actor_ref by, staff = { TA_STAFF, 0, 0, 0, 0 };
	struct ticket_opened t;
	struct ticket_replied out;
	const char *why = NULL;

	set("customer_files_per_day", "3");
	fx_customer(conninfo, "Fay Files", "Files Ltd", "standard", &c);
	fx_staff(conninfo, "Sid Sends", "agent", &agent);
	staff.id = agent.id;
	by = customer(&c);
	ck_assert_int_eq(open_as(&by, &c, 2, 10, &t, &why), CS_OK);
	ck_assert_int_eq(reply_as(&by, t.id, 2, 10, &out, &why), CS_LIMITED);
	ck_assert_msg(strstr(why, "may send 3 files a day and has sent 2") != NULL, "%s", why);
	ck_assert_int_ge(out.retry_after, 1);
	/* One more fits; staff files do not count, nor are they held back. */
	ck_assert_int_eq(reply_as(&staff, t.id, 4, 10, &out, &why), CS_OK);
	ck_assert_int_eq(reply_as(&by, t.id, 1, 10, &out, &why), CS_OK);
	ck_assert_int_eq(reply_as(&by, t.id, 1, 10, &out, &why), CS_LIMITED);
	/* Without files, the customer may still write. */
	ck_assert_int_eq(reply_as(&by, t.id, 0, 0, &out, &why), CS_OK);
}
END_TEST

START_TEST(file_bytes_quota)
{
	struct fx_person c;
	struct ticket_actor_ref by;
	struct ticket_opened t;
	const char *why = NULL;

	set("customer_file_mb_per_day", "1");
	fx_customer(conninfo, "Bea Bulky", "Bulky Ltd", "standard", &c);
	by = customer(&c);
	ck_assert_int_eq(open_as(&by, &c, 1, 600 << 10, &t, &why), CS_OK);
	ck_assert_int_eq(open_as(&by, &c, 1, 600 << 10, &t, &why), CS_LIMITED);
	ck_assert_msg(strstr(why, "may send 1 MB of files a day and has sent 0.6 MB") != NULL,
	    "%s", why);
	ck_assert_int_ge(t.retry_after, 1);
	ck_assert_int_eq(open_as(&by, &c, 1, 300 << 10, &t, &why), CS_OK);
}
END_TEST

Suite *limits_suite(void);

Suite *
limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("customer");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, creation_limit_says_slow_down);
	tcase_add_test(tc, reply_limit_says_slow_down);
	tcase_add_test(tc, file_count_quota);
	tcase_add_test(tc, file_bytes_quota);
	suite_add_tcase(s, tc);
	return s;
}
