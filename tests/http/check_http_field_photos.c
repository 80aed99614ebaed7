/*
 * Job photos over HTTP (nginx, console.fcgi, portal.fcgi, PostgreSQL):
 * the technician uploads several photos from the phone page (multipart,
 * no script) with a caption; a file that is not a JPEG, PNG or WebP by its
 * bytes, or over 8 MB, is refused at 422 with its name and the caption
 * kept; a photo is served with its type, nosniff and its name; another
 * technician gets 404; the customer sees a photo on their visit and job
 * report only once it is shared, and another customer gets 404.
 */
#include "identity.h"
#include "auth/password.h"
#include "db/db.h"
#include "domain/field_photos.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "quartz meadow lantern 73"
#define BOUNDARY "csdeskPhotoBoundary9QkZ"

static struct th_stack stack;
static char *db;
static long long job;

/* Tom's completed job at Alpha's; Tia, another technician. */
static const char fixture[] =
    "INSERT INTO technicians (staff_id) SELECT id FROM staff"
    " WHERE email IN ('tom@acme.test', 'tia@acme.test');"
    "INSERT INTO tickets (customer_id, channel, subject, description, status)"
    " SELECT c.id, 'phone', 'Washer leaks', 'Water on the floor', 'in_progress'"
    " FROM customers c WHERE c.name = 'Alpha Ltd';"
    "INSERT INTO appointments (ticket_id, customer_id, technician_id, address, summary,"
    " starts_at, ends_at, busy, status, checkin_at, checkout_at, completed_at, labour_min,"
    " travel_min) SELECT t.id, t.customer_id, s.id, '3 rue Oberkampf', 'Washer repair',"
    " now() - interval '1 day', now() - interval '23 hours',"
    " tstzrange(now() - interval '1 day', now() - interval '23 hours'), 'completed',"
    " now() - interval '1 day', now() - interval '23 hours 10 minutes',"
    " now() - interval '23 hours 5 minutes', 50, 20 FROM tickets t, staff s"
    " WHERE t.subject = 'Washer leaks' AND s.email = 'tom@acme.test';"
    "INSERT INTO settings (key, value) VALUES ('field_signature_required', 'false')"
    " ON CONFLICT (key) DO UPDATE SET value = 'false';";

static const unsigned char JPEG[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1 };
static const unsigned char PNG[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
static const char HTML[] = "<html><script>alert(document.cookie)</script></html>";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX], *v;
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_field_photos");
	ck_assert_int_eq(db_open(&d, db, "photos-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(staff_fixture(&d, "tom@acme.test", "Tom", hash, "technician"), 0);
	ck_assert_int_gt(staff_fixture(&d, "tia@acme.test", "Tia", hash, "technician"), 0);
	ck_assert_int_gt(customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &uid), 0);
	ck_assert_int_gt(customer_fixture(&d, "Beta Ltd", "company", "standard", "en",
	    "eve@beta.test", "Eve Beta", hash, 1, &uid), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	v = sql_owner(db, "SELECT id::text FROM appointments WHERE summary = $1", "Washer repair");
	job = atoll(v);
	free(v);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

static const char *
main_of(const struct th_resp *r)
{
	const char *m = r->body != NULL ? strstr(r->body, "<main") : NULL;

	return m != NULL ? m : r->body != NULL ? r->body : "";
}

static void
expect(struct th_resp r, long status, const char *has)
{
	ck_assert_msg(r.status == status, "status %ld, not %ld: %.1500s", r.status, status,
	    main_of(&r));
	if (has != NULL)
		ck_assert_msg(r.body != NULL && strstr(r.body, has) != NULL, "no \"%s\" in %.1500s",
		    has, main_of(&r));
	th_resp_free(&r);
}

static void
add(char **buf, size_t *len, const void *data, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	ck_assert_ptr_nonnull(*buf);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

struct upload {
	const char *name;
	const void *data;
	size_t len;
};

/* POSTs the photo form as a phone does: csrf_token, caption, shared, the files under "photo". */
static struct th_resp
upload(struct jar *j, const char *caption, int shared, const struct upload *files, size_t n)
{
	char url[512], cookie[4096], head[512], path[96];
	const char *h[] = { "Content-Type: multipart/form-data; boundary=" BOUNDARY, cookie, NULL };
	struct th_resp page, r;
	char *body = NULL;
	size_t len = 0, i;
	int k;

	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/photos", job);
	page = web_get(&stack, j, path);
	ck_assert_int_eq(page.status, 200);
	snprintf(head, sizeof(head), "--" BOUNDARY "\r\nContent-Disposition: form-data; "
	    "name=\"csrf_token\"\r\n\r\n%s\r\n--" BOUNDARY "\r\nContent-Disposition: form-data; "
	    "name=\"caption\"\r\n\r\n%s\r\n", csrf_in(page.body), caption);
	th_resp_free(&page);
	add(&body, &len, head, strlen(head));
	if (shared) {
		snprintf(head, sizeof(head), "--" BOUNDARY "\r\nContent-Disposition: form-data; "
		    "name=\"shared\"\r\n\r\nyes\r\n");
		add(&body, &len, head, strlen(head));
	}
	for (i = 0; i < n; i++) {
		/* The browser's declared type is a lie on purpose: the bytes decide. */
		k = snprintf(head, sizeof(head), "--" BOUNDARY "\r\nContent-Disposition: form-data; "
		    "name=\"photo\"; filename=\"%s\"\r\nContent-Type: image/jpeg\r\n\r\n",
		    files[i].name);
		add(&body, &len, head, (size_t)k);
		add(&body, &len, files[i].data, files[i].len);
		add(&body, &len, "\r\n", 2);
	}
	add(&body, &len, "--" BOUNDARY "--\r\n", strlen("--" BOUNDARY "--\r\n"));
	snprintf(url, sizeof(url), "%s%s", stack.url, path);
	snprintf(cookie, sizeof(cookie), "Cookie: ");
	for (k = 0; k < j->n; k++)
		snprintf(cookie + strlen(cookie), sizeof(cookie) - strlen(cookie), "%s%s=%s",
		    k ? "; " : "", j->name[k], j->value[k]);
	ck_assert_int_eq(th_http("POST", url, body, len, h, &r), 0);
	jar_take(j, &r);
	free(body);
	return r;
}

static long long
photo_named(const char *name)
{
	char *v = sql_owner(db, "SELECT coalesce(max(id), 0)::text FROM job_photos"
	    " WHERE filename = $1", name);
	long long id = atoll(v);

	free(v);
	return id;
}

static void
customer_in(struct jar *j, const char *email)
{
	char body[256];

	snprintf(body, sizeof(body), "email=%s&password=quartz+meadow+lantern+73", email);
	expect(web_post(&stack, j, "/login", "/login", body), 303, NULL);
}

START_TEST(photos_are_uploaded_and_served_with_their_type_and_nosniff)
{
	struct jar tom = { 0 }, tia = { 0 };
	struct upload two[] = { { "before.jpg", JPEG, sizeof(JPEG) },
		{ "after.png", PNG, sizeof(PNG) } };
	char path[128], img[128];
	struct th_resp r;
	long long png;

	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/photos", job);
	expect(web_get(&stack, &tom, path), 200, "capture=\"environment\"");
	expect(upload(&tom, "Hose cracked", 0, two, 2), 303, NULL);
	expect(web_get(&stack, &tom, path), 200, "Hose cracked");
	png = photo_named("after.png");
	ck_assert_int_gt(png, 0);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/photos/%lld", job, png);
	r = web_get(&stack, &tom, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, sizeof(PNG));
	ck_assert_str_eq(th_header(&r, "Content-Type"), "image/png");
	ck_assert_str_eq(th_header(&r, "X-Content-Type-Options"), "nosniff");
	ck_assert_str_eq(th_header(&r, "Content-Disposition"), "inline; filename=\"after.png\"");
	th_resp_free(&r);
	/* On the visit's page, as a thumbnail. */
	snprintf(path, sizeof(path), "/agent/field/appointments/%lld", job);
	snprintf(img, sizeof(img), "<img src=\"/agent/field/jobs/%lld/photos/%lld\"", job, png);
	expect(web_get(&stack, &tom, path), 200, img);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/photos/%lld", job, png);
	/* Another technician: not a visit they can see. */
	web_staff_sign_in(&stack, &tia, "tia@acme.test", PW);
	expect(web_get(&stack, &tia, path), 404, NULL);
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/photos", job);
	expect(web_get(&stack, &tia, path), 404, NULL);
	expect(upload(&tom, "", 0, two, 0), 422, "Choose a photo to add.");
}
END_TEST

START_TEST(a_file_that_is_not_a_photo_or_too_big_is_refused_by_name)
{
	struct jar tom = { 0 };
	struct upload html[] = { { "IMG_2041.jpg", HTML, sizeof(HTML) - 1 } };
	struct upload big[] = { { "panorama.jpg", NULL, FIELD_PHOTO_MAX + 1 } };
	unsigned char *b = calloc(1, FIELD_PHOTO_MAX + 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, JPEG, sizeof(JPEG));
	big[0].data = b;
	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	expect(upload(&tom, "Typed caption", 0, html, 1), 422,
	    "&quot;IMG_2041.jpg&quot; is not a JPEG, PNG or WebP photo; nothing was added.");
	/* What was typed comes back. */
	expect(upload(&tom, "Typed caption", 0, html, 1), 422, "value=\"Typed caption\"");
	expect(upload(&tom, "Wide", 0, big, 1), 422,
	    "&quot;panorama.jpg&quot; is larger than 8 MB; nothing was added.");
	ck_assert_int_eq(photo_named("IMG_2041.jpg"), 0);
	ck_assert_int_eq(photo_named("panorama.jpg"), 0);
	free(b);
}
END_TEST

START_TEST(the_customer_sees_a_photo_once_shared_and_another_customer_never)
{
	struct jar tom = { 0 }, ann = { 0 }, eve = { 0 };
	struct upload one[] = { { "meter.jpg", "\xff\xd8\xff\xe1meter", 9 } };
	char path[128], visit[64], body[128], report[96], img[128];
	long long id;

	web_staff_sign_in(&stack, &tom, "tom@acme.test", PW);
	expect(upload(&tom, "The meter", 0, one, 1), 303, NULL);
	id = photo_named("meter.jpg");
	ck_assert_int_gt(id, 0);
	customer_in(&ann, "ann@alpha.test");
	snprintf(visit, sizeof(visit), "/visits/%lld", job);
	snprintf(path, sizeof(path), "/visits/%lld/photos/%lld", job, id);
	expect(web_get(&stack, &ann, path), 404, NULL);
	/* Tom shares it. */
	snprintf(body, sizeof(body), "caption=The+meter+reading&shared=yes");
	snprintf(path, sizeof(path), "/agent/field/jobs/%lld/photos/%lld", job, id);
	expect(web_post(&stack, &tom, path, "/agent/field/day", body), 303, NULL);
	snprintf(path, sizeof(path), "/visits/%lld/photos/%lld", job, id);
	expect(web_get(&stack, &ann, visit), 200, "The meter reading");
	/* On the job report too, as a thumbnail of the photo. */
	snprintf(report, sizeof(report), "/visits/%lld/report", job);
	snprintf(img, sizeof(img), "<img src=\"/visits/%lld/photos/%lld\"", job, id);
	expect(web_get(&stack, &ann, report), 200, img);
	expect(web_get(&stack, &ann, path), 200, NULL);
	customer_in(&eve, "eve@beta.test");
	expect(web_get(&stack, &eve, path), 404, NULL);
}
END_TEST

Suite *http_field_photos_suite(void);

Suite *
http_field_photos_suite(void)
{
	Suite *s = suite_create("http_field_photos");
	TCase *tc = tcase_create("field_photos");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, photos_are_uploaded_and_served_with_their_type_and_nosniff);
	tcase_add_test(tc, a_file_that_is_not_a_photo_or_too_big_is_refused_by_name);
	tcase_add_test(tc, the_customer_sees_a_photo_once_shared_and_another_customer_never);
	suite_add_tcase(s, tc);
	return s;
}
