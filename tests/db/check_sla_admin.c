/*
 * The admin use cases of service levels, as the console's role runs them:
 * a calendar, a policy and an escalation rule are checked once, in the
 * domain, and every message comes back at once, at its field; a taken
 * name is CS_TAKEN; a change is audited with it; what the lists say in
 * words comes from C (sla_words), as the SQL functions said it before.
 */
#include "../lib/harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/escalation_rules.h"
#include "domain/sla_calendars.h"
#include "domain/sla_policies.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *owner_conninfo, *conninfo;
static struct db db;
static struct arena *arena;
static const struct audit_entry by = { .actor_kind = AUDIT_ACTOR_CLI };

static void
suite_setup(void)
{
	struct db d;

	owner_conninfo = th_db_create("sla_admin");
	conninfo = th_db_as(owner_conninfo, "csdesk_console");
	ck_assert_int_eq(db_open(&d, owner_conninfo, "check_sla_admin_setup"), 0);
	/* Every tier × priority has a seeded policy: new ones are for a category. */
	ck_assert_int_eq(db_script(&d, "INSERT INTO categories (name) VALUES ('Outage')",
	    "fixture"), 0);
	db_close(&d);
}

#define COUNT_COLS(X) X(CN, n, "count(*)")
enum { DB_COL_ENUM(COUNT_COLS) };

/* How many audit rows action has, read as the owner. */
static long long
audited(const char *action)
{
	const char *p[] = { action };
	struct db_stmt st = DB_STMT("check_sla_admin_audited",
	    "SELECT " DB_COLS(COUNT_COLS) " FROM audit_log WHERE action = $1", 1);
	struct db d;
	PGresult *r;
	long long n;

	ck_assert_int_eq(db_open(&d, owner_conninfo, "check_sla_admin_audit"), 0);
	r = db_exec(&d, &st, p);
	ck_assert_ptr_nonnull(r);
	n = db_ll(r, 0, CN_n);
	PQclear(r);
	db_close(&d);
	return n;
}

static void
suite_teardown(void)
{
	th_db_drop(owner_conninfo);
	free(owner_conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&db, conninfo, "check_sla_admin"), 0);
	arena = arena_new(1 << 16);
	ck_assert_ptr_nonnull(arena);
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&db);
}

/* The message why holds for field, or NULL. */
static const char *
said(const struct sla_why *why, const char *field)
{
	size_t i;

	for (i = 0; i < why->n; i++)
		if (strcmp(why->at[i].field, field) == 0)
			return why->at[i].text;
	return NULL;
}

#define SAYS(why, field, words) do { \
	const char *s_ = said((why), (field)); \
	ck_assert_msg(s_ != NULL && strstr(s_, (words)) != NULL, "%s: %s", (field), \
	    s_ != NULL ? s_ : "(nothing)"); \
} while (0)

/* The id of the option called name (0: none). */
static long long
option_id(const struct db_option *o, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(o[i].name, name) == 0)
			return o[i].id;
	return 0;
}

/* The calendar called name, or 0. */
static long long
calendar_id(const char *name)
{
	struct db_option *o;
	size_t n;

	ck_assert_int_eq(sla_calendar_options(&db, arena, &o, &n), CS_OK);
	return option_id(o, n, name);
}

START_TEST(calendar_refused_with_every_message)
{
	struct sla_calendar_input in = { .name = "", .zone = "Mars/Olympus", .day_minutes = 0,
		.hours = { "17:00-09:00", NULL, "09:00-12:00, 11:00-13:00" },
		.holidays = "2026-02-30 Nope" };
	struct sla_why why = { .n = 0 };
	long long id = 7;

	ck_assert_int_eq(sla_calendar_create(&db, arena, &by, &in, &id, &why), CS_REFUSED);
	ck_assert_int_eq(id, 0);
	SAYS(&why, "name", "Name is required.");
	SAYS(&why, "time_zone", "Unknown time zone");
	SAYS(&why, "day_minutes", "from 1 to 1440");
	SAYS(&why, "hours_1", "Monday: An interval ends before it starts");
	SAYS(&why, "hours_3", "Wednesday: Two intervals overlap");
	SAYS(&why, "holidays", "a date that exists");
	/* No hours at all; a name of SLA_NAME_MAX characters (twice as many bytes) is fine. */
	memset(&why, 0, sizeof(why));
	{
		char name[2 * SLA_NAME_MAX + 1];
		size_t i;

		for (i = 0; i < SLA_NAME_MAX; i++)
			memcpy(name + 2 * i, "\xce\xa9", 2);	/* Ω */
		name[2 * SLA_NAME_MAX] = '\0';
		in = (struct sla_calendar_input){ .name = name, .zone = "UTC", .day_minutes = 480 };
		ck_assert_int_eq(sla_calendar_create(&db, arena, &by, &in, &id, &why), CS_REFUSED);
		SAYS(&why, "hours_1", "at least one day");
		ck_assert_uint_eq(why.n, 1);
	}
}
END_TEST

START_TEST(calendar_saved_audited_and_worded)
{
	struct sla_calendar_input in = { .name = "Night desk", .zone = "Europe/Berlin",
		.day_minutes = 480, .hours = { "22:00-24:00", "00:00-06:00, 22:00-24:00" },
		.holidays = "2026-12-25 Christmas Day\n2026-12-26 Boxing Day" };
	struct sla_why why = { .n = 0 };
	struct sla_calendar c, *list;
	long long id, again;
	size_t n, i;
	int found = 0;

	ck_assert_int_eq(sla_calendar_create(&db, arena, &by, &in, &id, &why), CS_OK);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(audited("calendar.create"), 1);
	ck_assert_int_eq(sla_calendar_get(&db, arena, id, &c), CS_OK);
	ck_assert_str_eq(c.summary, "Mon 22:00–24:00, Tue 00:00–06:00 22:00–24:00");
	ck_assert_uint_eq(c.nholidays, 2);
	ck_assert_str_eq(c.holidays[1].day, "2026-12-26");
	ck_assert_str_eq(c.holidays[1].name, "Boxing Day");
	ck_assert_int_eq(sla_calendar_list(&db, arena, &list, &n), CS_OK);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].name, "Night desk") == 0)
			found = strcmp(list[i].summary, c.summary) == 0;
		if (strcmp(list[i].name, "24x7") == 0)
			ck_assert_str_eq(list[i].summary, "open around the clock, every day");
	}
	ck_assert(found);
	/* The same name again is taken, and says so at the name. */
	ck_assert_int_eq(sla_calendar_create(&db, arena, &by, &in, &again, &why), CS_TAKEN);
	SAYS(&why, "name", "Another calendar has this name.");
	/* Around the clock needs no hours; a calendar that is not there is not found. */
	memset(&why, 0, sizeof(why));
	in = (struct sla_calendar_input){ .name = "Night desk", .zone = "UTC", .day_minutes = 1440,
		.always_open = 1 };
	ck_assert_int_eq(sla_calendar_update(&db, arena, &by, id, &in, &why), CS_OK);
	ck_assert_int_eq(audited("calendar.update"), 1);
	ck_assert_int_eq(sla_calendar_update(&db, arena, &by, id + 1000, &in, &why),
	    CS_NOT_FOUND);
	ck_assert_int_eq(sla_calendar_get(&db, arena, id, &c), CS_OK);
	ck_assert_str_eq(c.summary, "open around the clock, every day");
	ck_assert_uint_eq(c.nholidays, 0);
	ck_assert_int_eq(sla_calendar_get(&db, arena, id + 1000, &c), CS_NOT_FOUND);
}
END_TEST

START_TEST(policy_targets_checked_and_worded)
{
	const char *pauses[] = { "pending_parts", "pending_customer", "pending_parts" };
	struct sla_policy_input in = { .name = "Gold outage", .active = 1, .tier = "premium",
		.priority = "low", .calendar_id = calendar_id("Office hours"),
		.targets = { { 30, "minutes" }, { 4, "hours" }, { 2, "days" } },
		.pauses = pauses, .npauses = 3 };
	struct sla_why why = { .n = 0 };
	struct sla_policy p;
	struct db_option *cats;
	long long id, value;
	const char *unit;
	size_t ncats;

	ck_assert_int_eq(sla_admin_categories(&db, arena, &cats, &ncats), CS_OK);
	in.category_id = option_id(cats, ncats, "Outage");
	ck_assert_int_gt(in.category_id, 0);
	ck_assert_int_gt(in.calendar_id, 0);
	ck_assert_int_eq(sla_policy_create(&db, arena, &by, &in, &id, &why), CS_OK);
	ck_assert_int_eq(sla_policy_get(&db, arena, id, &p), CS_OK);
	ck_assert_int_eq(p.minutes[SLA_RESOLUTION], 960);
	ck_assert_str_eq(p.targets_text, "30 min / 4 h / 2 business days");
	ck_assert_str_eq(p.pauses_text, "pending customer, pending parts");
	ck_assert_str_eq(p.category, "Outage");
	ck_assert_uint_eq(p.npauses, 2);
	ck_assert_int_eq(audited("sla_policy.create"), 1);
	sla_policy_target_typed(p.minutes[SLA_RESOLUTION], p.day_minutes, &value, &unit);
	ck_assert_int_eq(value, 2);
	ck_assert_str_eq(unit, "days");
	/* A year at most; a calendar from the list; statuses from the list. */
	in.targets[SLA_FIRST_RESPONSE].value = 366;
	in.targets[SLA_FIRST_RESPONSE].unit = "days";
	in.calendar_id = 0;
	pauses[0] = "closed";
	ck_assert_int_eq(sla_policy_update(&db, arena, &by, id, &in, &why), CS_REFUSED);
	SAYS(&why, "calendar_id", "Choose a calendar from the list.");
	SAYS(&why, "pause", "Choose pausing statuses from the list.");
	memset(&why, 0, sizeof(why));
	in.calendar_id = calendar_id("24x7");
	pauses[0] = "pending_parts";
	ck_assert_int_eq(sla_policy_update(&db, arena, &by, id, &in, &why), CS_REFUSED);
	SAYS(&why, "first_response", "A target may be at most a year.");
	ck_assert_uint_eq(why.n, 1);
	/* Another policy for the same tier, priority and category is taken. */
	memset(&why, 0, sizeof(why));
	in.targets[SLA_FIRST_RESPONSE].value = 1;
	in.name = "Gold outage again";
	ck_assert_int_eq(sla_policy_create(&db, arena, &by, &in, &id, &why), CS_TAKEN);
	SAYS(&why, "name", "covers the same tier, priority and category");
}
END_TEST

START_TEST(rule_checked_and_saved)
{
	struct escalation_rule_input in = { .name = "Stale", .position = 5, .active = 1,
		.on_event = "no_update", .notify = "none" };
	struct sla_why why = { .n = 0 };
	struct escalation_rule x;
	long long id;

	ck_assert_int_eq(escalation_rule_create(&db, arena, &by, &in, &id, &why), CS_REFUSED);
	SAYS(&why, "no_update_hours", "after how many hours");
	SAYS(&why, "notify", "Choose at least one action");
	memset(&why, 0, sizeof(why));
	in.no_update_hours = ESCALATION_NO_UPDATE_HOURS_MAX + 1;
	in.raise = 1;
	ck_assert_int_eq(escalation_rule_check(&in, &why), CS_REFUSED);
	SAYS(&why, "no_update_hours", "from 1 to 8760");
	memset(&why, 0, sizeof(why));
	in.no_update_hours = 48;
	ck_assert_int_eq(escalation_rule_create(&db, arena, &by, &in, &id, &why), CS_OK);
	ck_assert_int_eq(escalation_rule_get(&db, arena, id, &x), CS_OK);
	ck_assert_int_eq(x.no_update_hours, 48);
	ck_assert(x.raise && !x.reassign);
	/* Another event keeps no hours. */
	in.on_event = "breached";
	ck_assert_int_eq(escalation_rule_update(&db, arena, &by, id, &in, &why), CS_OK);
	ck_assert_int_eq(escalation_rule_get(&db, arena, id, &x), CS_OK);
	ck_assert_int_eq(x.no_update_hours, 0);
	ck_assert_int_eq(escalation_rule_create(&db, arena, &by, &in, &id, &why), CS_TAKEN);
	SAYS(&why, "name", "Another rule has this name.");
}
END_TEST

Suite *sla_admin_suite(void);

Suite *
sla_admin_suite(void)
{
	Suite *s = suite_create("sla_admin");
	TCase *tc = tcase_create("sla_admin");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, calendar_refused_with_every_message);
	tcase_add_test(tc, calendar_saved_audited_and_worded);
	tcase_add_test(tc, policy_targets_checked_and_worded);
	tcase_add_test(tc, rule_checked_and_saved);
	suite_add_tcase(s, tc);
	return s;
}
