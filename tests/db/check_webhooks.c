/*
 * Webhooks through `csdesk batch` as a process, against a real HTTP
 * receiver the suite starts (tests/lib/hooksink.py): a ticket event is
 * posted once, signed with HMAC-SHA256 under the webhook's secret; a
 * receiver that fails is tried again after the wait, with the same
 * delivery id, and then takes it; a trigger calls a webhook; a receiver
 * that never answers is given up after the last try; an admin's bad
 * input is refused.
 */
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/smtp_sink.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/webhook_send.h"
#include "domain/webhooks.h"

#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static char *conninfo;
static struct db owner;
static struct arena *arena;
static char dir[64];
static int port;
static pid_t sink;
static struct fx_person cust;

static const struct audit_entry cli = { AUDIT_ACTOR_CLI, 0, NULL, NULL, NULL, NULL, NULL };

#define q(...) th_valuef(&owner, __VA_ARGS__)

#define EXPECT(want, ...) TH_EXPECT_VALUE(&owner, want, __VA_ARGS__)

static void
suite_setup(void)
{
	int i;

	conninfo = th_db_create("webhooks");
	fx_customer(conninfo, "Hana Hook", NULL, "standard", &cust);
	snprintf(dir, sizeof(dir), "/tmp/csdesk-hooks.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	port = th_free_port();
	sink = fork();
	ck_assert_int_ge(sink, 0);
	if (sink == 0) {
		char p[16], script[512];

		snprintf(p, sizeof(p), "%d", port);
		snprintf(script, sizeof(script), "%s/tests/lib/hooksink.py", th_datadir());
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl("/usr/bin/python3", "/usr/bin/python3", script, p, dir, (char *)NULL);
		fprintf(stderr, "exec python3: %s\n", strerror(errno));
		_exit(127);
	}
	for (i = 0; i < 200 && !th_port_open(port); i++)
		usleep(50000);
	ck_assert_msg(th_port_open(port), "the webhook receiver did not start");
}

static void
suite_teardown(void)
{
	int status;

	if (sink > 0) {
		kill(sink, SIGTERM);
		waitpid(sink, &status, 0);
	}
	if (getenv("CSDESK_KEEP_LOGS") == NULL)
		th_sh("rm -rf '%s'", dir);
	th_db_drop(conninfo);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_webhooks"), 0);
	ck_assert_ptr_nonnull(arena = arena_new(8192));
	/* Each test's own webhook only. */
	free(q("UPDATE webhooks SET active = false; DELETE FROM automation_rules"));
	th_sh("rm -f '%s/status'", dir);
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&owner);
}

/* One tick of `csdesk batch` (mail to files). */
static void
batch(void)
{
	ck_assert_int_eq(th_sh("env -u CSDESK_SMTP_URL CSDESK_DB='%s' CSDESK_MAIL_DIR='%s/out'"
	    " '%s/csdesk' batch >> '%s/batch.txt' 2>&1", conninfo, dir, th_build_dir(), dir), 0);
}

/* A webhook posting to the receiver's path for events; its id and secret. */
static long long
hook(const char *name, const char *path, const char *const *events, size_t n, char **secret)
{
	const char *field, *why;
	long long id;
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	ck_assert_int_eq(webhook_create(&owner, arena, &cli, name, url, events, n, &id, &field,
	    &why), CS_OK);
	*secret = q("SELECT secret FROM webhooks WHERE id = %lld", id);
	return id;
}

/* The requests the receiver got at path, oldest first (a new array). */
static json_t *
requests(const char *path)
{
	char file[128], line[65536];
	json_t *all = json_array();
	FILE *f;

	snprintf(file, sizeof(file), "%s/requests", dir);
	if ((f = fopen(file, "r")) == NULL)
		return all;
	while (fgets(line, sizeof(line), f) != NULL) {
		json_t *o = json_loads(line, 0, NULL);

		if (o != NULL && strcmp(json_string_value(json_object_get(o, "path")), path) == 0)
			json_array_append(all, o);
		json_decref(o);
	}
	fclose(f);
	return all;
}

static const char *
field(const json_t *req, const char *name)
{
	const char *v = json_string_value(json_object_get(req, name));

	return v != NULL ? v : "";
}

/* A new ticket of the suite's customer; its number (static buffer). */
static const char *
ticket(const char *subject)
{
	static struct fx_ticket t;

	fx_ticket(conninfo, &cust, subject, &t);
	return t.number;
}

START_TEST(event_posted_once_and_signed)
{
	const char *const events[] = { "ticket.created" };
	char *secret, sig[WEBHOOK_SIGNATURE_LEN + 1];
	const char *number, *body;
	json_t *got, *req, *payload;
	long long id;

	id = hook("Once", "/once", events, 1, &secret);
	number = ticket("Printer on fire");
	batch();
	batch();
	got = requests("/once");
	ck_assert_int_eq((int)json_array_size(got), 1);
	req = json_array_get(got, 0);
	ck_assert_str_eq(field(req, "event"), "ticket.created");
	ck_assert_str_eq(field(req, "content_type"), "application/json");
	body = field(req, "body");
	/* The signature is the body's HMAC-SHA256 under the secret. */
	webhook_signature(secret, body, strlen(body), sig);
	ck_assert_str_eq(field(req, "signature"), sig);
	webhook_signature("0000000000000000000000000000000000000000000000000000000000000000",
	    body, strlen(body), sig);
	ck_assert_str_ne(field(req, "signature"), sig);
	payload = json_loads(body, 0, NULL);
	ck_assert_ptr_nonnull(payload);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(payload, "ticket"),
	    "number")), number);
	ck_assert_str_eq(json_string_value(json_object_get(payload, "delivery")),
	    field(req, "delivery"));
	/* The log says so. */
	EXPECT("delivered 1 200", "SELECT state || ' ' || attempts || ' ' || last_status"
	    " FROM webhook_deliveries WHERE webhook_id = %lld", id);
	json_decref(payload);
	json_decref(got);
	free(secret);
}
END_TEST

START_TEST(failing_receiver_is_tried_again)
{
	const char *const events[] = { "ticket.created" };
	char *secret;
	json_t *got;
	long long id;

	id = hook("Flaky", "/flaky", events, 1, &secret);
	th_sh("echo 503 > '%s/status'", dir);
	ticket("Scanner offline");
	batch();
	EXPECT("pending 1 503 true", "SELECT state || ' ' || attempts || ' ' || last_status || ' '"
	    " || (next_attempt_at > now() + interval '50 seconds')::text"
	    " FROM webhook_deliveries WHERE webhook_id = %lld", id);
	/* Not due yet: the next tick posts nothing. */
	batch();
	got = requests("/flaky");
	ck_assert_int_eq((int)json_array_size(got), 1);
	json_decref(got);
	/* The wait has passed and the receiver is back. */
	th_sh("rm -f '%s/status'", dir);
	free(q("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE webhook_id = %lld",
	    id));
	batch();
	got = requests("/flaky");
	ck_assert_int_eq((int)json_array_size(got), 2);
	/* The same delivery, so the receiver can tell a retry. */
	ck_assert_str_eq(field(json_array_get(got, 0), "delivery"),
	    field(json_array_get(got, 1), "delivery"));
	EXPECT("delivered 2", "SELECT state || ' ' || attempts FROM webhook_deliveries"
	    " WHERE webhook_id = %lld", id);
	json_decref(got);
	free(secret);
}
END_TEST

START_TEST(trigger_calls_a_webhook)
{
	const char *const events[] = { "ticket.merged" };
	char *secret;
	json_t *got, *payload;
	long long id;

	id = hook("From a rule", "/rule", events, 1, &secret);
	free(q("INSERT INTO automation_rules (name, on_event, call_webhook_id) VALUES"
	    " ('Tell the warehouse', 'created', %lld)", id));
	ticket("Pallet missing");
	batch();
	batch();
	got = requests("/rule");
	ck_assert_int_eq((int)json_array_size(got), 1);
	ck_assert_str_eq(field(json_array_get(got, 0), "event"), "automation.fired");
	payload = json_loads(field(json_array_get(got, 0), "body"), 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(payload, "rule"),
	    "name")), "Tell the warehouse");
	json_decref(payload);
	json_decref(got);
	free(secret);
}
END_TEST

START_TEST(silent_receiver_is_given_up)
{
	const char *const events[] = { "ticket.created" };
	const char *field_at, *why;
	long long id, bad;
	char url[64];

	/* Nobody listens there. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", th_free_port());
	ck_assert_int_eq(webhook_create(&owner, arena, &cli, "Nobody home", url, events, 1, &id,
	    &field_at, &why), CS_OK);
	ticket("Lost in the post");
	batch();
	EXPECT("pending 1", "SELECT state || ' ' || attempts FROM webhook_deliveries"
	    " WHERE webhook_id = %lld", id);
	free(q("UPDATE webhook_deliveries SET attempts = %d, next_attempt_at = now()"
	    " WHERE webhook_id = %lld", WEBHOOK_ATTEMPTS_MAX - 1, id));
	batch();
	EXPECT("failed", "SELECT state FROM webhook_deliveries WHERE webhook_id = %lld", id);
	/* Bad input: refused with the field at fault. */
	ck_assert_int_eq(webhook_create(&owner, arena, &cli, "Bad", "ftp://example.com/x",
	    events, 1, &bad, &field_at, &why), CS_REFUSED);
	ck_assert_str_eq(field_at, "url");
	ck_assert_int_eq(webhook_create(&owner, arena, &cli, "Bad", url, NULL, 0, &bad, &field_at,
	    &why), CS_REFUSED);
	ck_assert_str_eq(field_at, "events");
	EXPECT("1", "SELECT count(*) FROM audit_log WHERE action = 'webhook.create'"
	    " AND object_id = '%lld'", id);
}
END_TEST

Suite *webhooks_suite(void);

Suite *
webhooks_suite(void)
{
	Suite *s = suite_create("webhooks");
	TCase *tc = tcase_create("webhooks");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, event_posted_once_and_signed);
	tcase_add_test(tc, failing_receiver_is_tried_again);
	tcase_add_test(tc, trigger_calls_a_webhook);
	tcase_add_test(tc, silent_receiver_is_given_up);
	suite_add_tcase(s, tc);
	return s;
}
