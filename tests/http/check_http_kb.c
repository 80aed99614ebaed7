/*
 * The help centre through nginx: article pages render markdown without
 * script, drafts and internal articles are 404 for everyone in the portal,
 * articles for customers ask visitors to sign in; search highlights
 * matches, forgives a typo, is recorded, and offers the ticket form when
 * nothing matches; one vote per browser; views add up once the workers
 * flush; opening a suggestion from the new-ticket form and leaving counts
 * as a deflection, creating the ticket does not. In the console: an agent
 * writes, previews (inert), sends for review; only a supervisor publishes;
 * each save is a revision that can be restored; a resolved ticket becomes
 * a draft; "use in reply" counts the article's use; insight exports CSV.
 */
#include "identity.h"
#include "auth/password.h"
#include "core/buf.h"
#include "db/db.h"

#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "blue kettle marathon 42"

static struct th_stack stack;
static char *db;

static const char fixture[] =
    "INSERT INTO kb_categories (slug, name) VALUES ('account-access', 'Account access'),"
    " ('devices', 'Devices');"
    "INSERT INTO kb_categories (slug, name, parent_id) SELECT 'kettles', 'Kettles', id"
    " FROM kb_categories WHERE slug = 'devices';"
    "INSERT INTO kb_articles (slug, category_id, type, status, visibility, title, summary, body)"
    " SELECT v.slug, c.id, 'howto', v.status, v.vis, v.title, v.summary, v.body FROM (VALUES"
    " ('reset-password', 'account-access', 'published', 'public', 'Reset your password',"
    "  'A new password in two minutes.', 'Choose **Forgot your password?** on the sign-in"
    " page.\n\n<script>alert(1)</script>\n\n[click me](javascript:alert(2))'),"
    " ('descale-kettle', 'kettles', 'published', 'public', 'Descale your kettle',"
    "  'Vinegar and an hour.', 'Fill with water and vinegar, boil, wait an hour.'),"
    " ('kettle-draft', 'kettles', 'draft', 'public', 'Kettle secrets (draft)', '', 'Draft.'),"
    " ('kettle-internal', 'kettles', 'published', 'internal', 'Kettle refunds for agents',"
    "  '', 'Agents refund kettles up to 50.'),"
    " ('kettle-invoices', 'kettles', 'published', 'customers', 'Kettle invoices for business',"
    "  '', 'Business customers pay kettles by invoice.')"
    " ) AS v (slug, cat, status, vis, title, summary, body)"
    " JOIN kb_categories c ON c.slug = v.cat;"
    "INSERT INTO products (sku, name) VALUES ('KT-1', 'Aurora Kettle');"
    "UPDATE kb_articles SET product_ids = ARRAY(SELECT id FROM products)"
    " WHERE slug = 'descale-kettle';"
    "INSERT INTO teams (name) VALUES ('Desk');"
    "INSERT INTO queues (name, team_id, auto_assign) SELECT 'General', id, false FROM teams;"
    "INSERT INTO routing_rules (position, name, set_queue_id)"
    " SELECT 100, 'Everything to General', id FROM queues;";

static void
setup(void)
{
	struct db d;
	char hash[PASSWORD_HASH_MAX];
	long long uid;

	ck_assert_int_ge(sodium_init(), 0);
	db = th_db_create("http_kb");
	ck_assert_int_eq(db_open(&d, db, "kb-setup"), 0);
	ck_assert_int_eq(password_hash(PW, hash), 0);
	ck_assert_int_gt(customer_fixture(&d, "Alpha Ltd", "company", "standard", "en",
	    "ann@alpha.test", "Ann Alpha", hash, 1, &uid), 0);
	ck_assert_int_gt(staff_fixture(&d, "agent@acme.test", "Alex Agent", hash, "agent"),
	    0);
	ck_assert_int_gt(staff_fixture(&d, "sup@acme.test", "Sam Supervisor", hash,
	    "supervisor,agent"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
	th_stack_start(&stack, db, 2, NULL);
}

static void
teardown(void)
{
	th_stack_stop(&stack);
	th_db_drop(db);
	free(db);
}

/* sql_is for what the portal writes after its response: allows it 2 s. */
static void
sql_soon(const char *sql, const char *param, const char *want)
{
	char *got = NULL;
	int i;

	for (i = 0; i < 100; i++) {
		free(got);
		got = sql_owner(db, sql, param);
		if (strcmp(got, want) == 0)
			break;
		usleep(20000);
	}
	ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'", sql, got, want);
	free(got);
}

START_TEST(article_pages_and_audiences)
{
	struct jar v = { 0 }, ann = { 0 };
	struct th_resp r = web_get(&stack, &v, "/kb/a/reset-password");

	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "<strong>Forgot your password?</strong>"));
	ck_assert_ptr_null(strstr(r.body, "<script>alert"));
	ck_assert_ptr_null(strstr(r.body, "javascript:"));
	ck_assert_ptr_nonnull(strstr(r.body, "Last updated"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/kb/account-access\""));	/* breadcrumb */
	th_resp_free(&r);

	r = web_get(&stack, &v, "/kb/a/descale-kettle");
	ck_assert_ptr_nonnull(strstr(r.body, "Applies to: <span class=\"badge\">Aurora Kettle"));
	th_resp_free(&r);

	r = web_get(&stack, &v, "/kb/kettles");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Descale your kettle"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"/kb/devices\""));
	ck_assert_ptr_null(strstr(r.body, "Kettle secrets"));
	ck_assert_ptr_null(strstr(r.body, "Kettle refunds"));
	ck_assert_ptr_null(strstr(r.body, "Kettle invoices"));
	th_resp_free(&r);

	ck_assert_int_eq(web_status(&stack, &v, "/kb/a/kettle-draft"), 404);
	ck_assert_int_eq(web_status(&stack, &v, "/kb/a/kettle-internal"), 404);
	ck_assert_int_eq(web_status(&stack, &v, "/kb/a/no-such-article"), 404);
	r = web_get(&stack, &v, "/kb/a/kettle-invoices");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/login"));
	th_resp_free(&r);

	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	ck_assert_int_eq(web_status(&stack, &ann, "/kb/a/kettle-invoices"), 200);
	ck_assert_int_eq(web_status(&stack, &ann, "/kb/a/kettle-internal"), 404);
	ck_assert_int_eq(web_status(&stack, &ann, "/kb/a/kettle-draft"), 404);
	r = web_get(&stack, &ann, "/kb/kettles");
	ck_assert_ptr_nonnull(strstr(r.body, "Kettle invoices"));
	ck_assert_ptr_null(strstr(r.body, "Kettle refunds"));
	th_resp_free(&r);
}
END_TEST

/* The article page's title for a browser asking for lang. */
static int
shows_title(const char *lang, const char *title)
{
	char url[256], header[64];
	const char *h[] = { header, NULL };
	struct th_resp r;
	int found;

	snprintf(url, sizeof(url), "%s/kb/a/descale-kettle", stack.url);
	snprintf(header, sizeof(header), "Accept-Language: %s", lang);
	ck_assert_int_eq(th_http("GET", url, NULL, 0, h, &r), 0);
	ck_assert_int_eq(r.status, 200);
	found = strstr(r.body, title) != NULL;
	th_resp_free(&r);
	return found;
}

START_TEST(translations_by_accept_language)
{
	free(sql_owner(db, "INSERT INTO kb_articles (slug, category_id, type, status, language,"
	    " original_id, source_version, title, body) SELECT slug, category_id, type, 'published',"
	    " 'de', id, content_version, 'Wasserkocher entkalken', 'Mit Essig füllen.'"
	    " FROM kb_articles WHERE slug = $1", "descale-kettle"));
	ck_assert(shows_title("de-DE,de;q=0.9,en;q=0.5", "<h1>Wasserkocher entkalken</h1>"));
	ck_assert(shows_title("fr,en;q=0.5", "<h1>Descale your kettle</h1>"));
	/* The original's text changes: the translation is outdated, not shown. */
	free(sql_owner(db, "UPDATE kb_articles SET body = body || ' Rinse twice.'"
	    " WHERE slug = $1 AND original_id IS NULL", "descale-kettle"));
	ck_assert(shows_title("de", "<h1>Descale your kettle</h1>"));
}
END_TEST

START_TEST(search_highlights_forgives_and_records)
{
	struct jar v = { 0 };
	struct th_resp r = web_get(&stack, &v, "/kb/search?q=pasword");
	char link[256];

	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Showing results for <strong>password</strong>"));
	ck_assert_ptr_nonnull(strstr(r.body, "Reset your password"));
	ck_assert_ptr_nonnull(strstr(r.body, "<mark>password</mark>"));
	web_href(r.body, "/kb/a/reset-password?t=", link, sizeof(link));
	th_resp_free(&r);
	sql_soon("SELECT query || ' ' || result_count || ' ' || opened FROM kb_searches"
	    " WHERE source = $1", "portal", "password 1 false");
	ck_assert_int_eq(web_status(&stack, &v, link), 200);
	sql_owner_is(db, "SELECT opened::text FROM kb_searches WHERE source = $1", "portal",
	    "true");

	/* Markup in the query comes back escaped; no results offer the form. */
	r = web_get(&stack, &v, "/kb/search?q=%3Cb%3Ezzyzx%3C%2Fb%3E+quux");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "<b>zzyzx"));
	ck_assert_ptr_nonnull(strstr(r.body, "&lt;b&gt;zzyzx"));
	ck_assert_ptr_nonnull(strstr(r.body,
	    "href=\"/tickets/new?subject=%3Cb%3Ezzyzx%3C%2Fb%3E%20quux\""));
	th_resp_free(&r);
	sql_soon("SELECT count(*) || ' ' || sum(result_count) FROM kb_searches", NULL, "2 1");

	/* Filters: the category (with its subcategories) and the type. */
	r = web_get(&stack, &v, "/kb/search?q=kettle&category=1");
	ck_assert_ptr_null(strstr(r.body, "Descale your kettle"));
	th_resp_free(&r);
	r = web_get(&stack, &v, "/kb/search?q=kettle&type=howto");
	ck_assert_ptr_nonnull(strstr(r.body, "Descale your kettle"));
	ck_assert_ptr_null(strstr(r.body, "Kettle refunds"));
	th_resp_free(&r);
	r = web_get(&stack, &v, "/kb/search?q=kettle&type=faq");
	ck_assert_ptr_null(strstr(r.body, "Descale your kettle"));
	th_resp_free(&r);
	ck_assert_int_eq(web_status(&stack, &v, "/kb/search?q=kettle&category=x"), 400);
}
END_TEST

START_TEST(one_vote_per_browser)
{
	struct jar v = { 0 }, w = { 0 };
	struct th_resp r;

	r = web_post(&stack, &v, "/kb/a/descale-kettle/rate", "/kb/a/descale-kettle",
	    "helpful=yes");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(jar_get(&v, "csdesk_kbv"));
	th_resp_free(&r);
	r = web_post(&stack, &v, "/kb/a/descale-kettle/rate", "/kb/a/descale-kettle",
	    "helpful=yes&stars=5&comment=clear");
	th_resp_free(&r);
	sql_owner_is(db,
	    "SELECT helpful_yes || '/' || helpful_no || ' ' || stars_sum || '/' || stars_count"
	    " FROM kb_articles WHERE slug = $1", "descale-kettle", "1/0 5/1");
	/* Another browser (a fresh cookie) from the same address replaces that
	 * address's vote rather than adding one. */
	r = web_post(&stack, &w, "/kb/a/descale-kettle/rate", "/kb/a/descale-kettle",
	    "helpful=no&stars=2");
	th_resp_free(&r);
	sql_owner_is(db,
	    "SELECT helpful_yes || '/' || helpful_no || ' ' || stars_sum || '/' || stars_count"
	    " FROM kb_articles WHERE slug = $1", "descale-kettle", "0/1 2/1");
	r = web_post(&stack, &w, "/kb/a/descale-kettle/rate", "/kb/a/descale-kettle", "stars=9");
	ck_assert_int_eq(r.status, 400);
	th_resp_free(&r);
	/* Not for a draft, nor without the token. */
	r = web_post(&stack, &w, "/kb/a/kettle-draft/rate", "/kb/a/descale-kettle", "helpful=yes");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	r = web_post(&stack, &w, "/kb/a/descale-kettle/rate", NULL, "helpful=yes");
	ck_assert_int_eq(r.status, 403);
	th_resp_free(&r);
}
END_TEST

START_TEST(views_add_up_when_workers_flush)
{
	struct jar v = { 0 };
	int i;

	for (i = 0; i < 12; i++)
		ck_assert_int_eq(web_status(&stack, &v, "/kb/a/descale-kettle"), 200);
	/* Stopping the workers flushes what they counted. */
	th_stack_stop(&stack);
	sql_owner_is(db, "SELECT view_count::text FROM kb_articles WHERE slug = $1",
	    "descale-kettle", "12");
	th_stack_start(&stack, db, 2, NULL);
}
END_TEST

START_TEST(deflection)
{
	struct jar ann = { 0 };
	struct th_resp r;
	char link[256], *token, *body;
	const char *t;

	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	/* Without the script: the subject comes back with suggestions. */
	r = web_post(&stack, &ann, "/tickets/new", "/tickets/new",
	    "subject=kettle+needs+descaling&description=");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Descale your kettle"));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"kettle needs descaling\""));
	web_href(r.body, "/kb/a/descale-kettle?t=", link, sizeof(link));
	th_resp_free(&r);
	ck_assert_int_eq(web_status(&stack, &ann, link), 200);
	/* The customer leaves: one deflection. */
	sql_owner_is(db, "SELECT count(*) FROM kb_searches WHERE source = $1 AND opened"
	    " AND ticket_id IS NULL", "ticket_form", "1");

	/* With the script: suggestions as JSON, then the ticket is sent. */
	r = web_get(&stack, &ann, "/tickets/new?subject=descale");
	t = strstr(r.body, "name=\"kb_token\" id=\"kb-token\" value=\"");
	ck_assert_ptr_nonnull(t);
	token = strndup(t + strlen("name=\"kb_token\" id=\"kb-token\" value=\""), 32);
	th_resp_free(&r);
	body = malloc(512);
	snprintf(body, 512, "/kb/suggest?q=descale+kettle&t=%s", token);
	r = web_get(&stack, &ann, body);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\"title\":\"Descale your kettle\""));
	th_resp_free(&r);
	snprintf(body, 512, "/kb/a/descale-kettle?t=%s", token);
	ck_assert_int_eq(web_status(&stack, &ann, body), 200);
	snprintf(body, 512, "subject=Kettle+still+loud&description=Descaled,+still+loud."
	    "&kb_token=%s", token);
	r = web_post(&stack, &ann, "/tickets", "/tickets/new", body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT count(*) FROM kb_searches WHERE source = $1 AND opened"
	    " AND ticket_id IS NULL", "ticket_form", "1");
	sql_owner_is(db, "SELECT query FROM kb_searches WHERE ticket_id IS NOT NULL", NULL,
	    "descale kettle");
	free(body);
	free(token);
}
END_TEST

START_TEST(preview_renders_safely_and_bad_input_is_kept)
{
	struct jar ag = { 0 };
	struct th_resp r;

	web_staff_sign_in(&stack, &ag, "agent@acme.test", PW);
	/* The preview renders as the portal will, without script, unsaved. */
	r = web_post(&stack, &ag, "/agent/kb/new", "/agent/kb/new", "action=preview"
	    "&title=Kettle+lid+wobbles&category=3&type=troubleshooting&visibility=public"
	    "&body=Press+**firmly**.%0A%0A%3Cscript%3Ealert(1)%3C%2Fscript%3E"
	    "%0A%0A%5Bx%5D(javascript%3Aalert(2))&tags=kettle,+Lid");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"kb-preview\""));
	ck_assert_ptr_nonnull(strstr(r.body, "Press <strong>firmly</strong>."));
	ck_assert_ptr_null(strstr(r.body, "<script>alert"));
	ck_assert_ptr_null(strstr(r.body, "href=\"javascript:"));
	th_resp_free(&r);
	sql_owner_is(db, "SELECT count(*) FROM kb_articles WHERE title = $1", "Kettle lid wobbles",
	    "0");
	/* Refused input comes back with the reason, the text kept. */
	r = web_post(&stack, &ag, "/agent/kb/new", "/agent/kb/new",
	    "title=&category=3&type=faq&visibility=public&body=Keep+me");
	ck_assert_int_eq(r.status, 422);
	ck_assert_ptr_nonnull(strstr(r.body, "Give the article a title."));
	ck_assert_ptr_nonnull(strstr(r.body, "Keep me"));
	th_resp_free(&r);
}
END_TEST

/* The agent saves a new article titled title (form-encoded); its id, malloc'd. */
static char *
draft(struct jar *ag, const char *title, const char *slug)
{
	struct th_resp r;
	char form[512], *id;

	snprintf(form, sizeof(form), "action=save&title=%s&category=3&type=troubleshooting"
	    "&visibility=public&body=Press+firmly.&tags=kettle,+Lid", title);
	r = web_post(&stack, ag, "/agent/kb/new", "/agent/kb/new", form);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	id = sql_owner(db, "SELECT id FROM kb_articles WHERE slug = $1", slug);
	ck_assert_str_ne(id, "");
	return id;
}

/* The agent's edit of revision 1 (title and body) in form; answers status. */
static void
edit(struct jar *ag, const char *id, char *form, size_t size, long status)
{
	struct th_resp r;
	char path[128];

	snprintf(path, sizeof(path), "/agent/kb/%s", id);
	snprintf(form, size, "action=save&revision=1&title=Kettle+lid+sticks+shut"
	    "&category=3&type=troubleshooting&visibility=public&body=Press+the+button+firmly."
	    "&tags=kettle,lid");
	r = web_post(&stack, ag, path, path, form);
	ck_assert_int_eq(r.status, status);
	th_resp_free(&r);
}

START_TEST(a_saved_article_is_a_draft_the_portal_does_not_show)
{
	struct jar ag = { 0 }, v = { 0 };
	char *id;

	web_staff_sign_in(&stack, &ag, "agent@acme.test", PW);
	id = draft(&ag, "Kettle+lid+squeaks", "kettle-lid-squeaks");
	sql_owner_is(db, "SELECT status || ' ' || array_to_string(tags, ',') || ' ' ||"
	    " (SELECT name FROM staff WHERE id = author_id) FROM kb_articles WHERE slug = $1",
	    "kettle-lid-squeaks", "draft kettle,lid Alex Agent");
	ck_assert_int_eq(web_status(&stack, &v, "/kb/a/kettle-lid-squeaks"), 404);
	free(id);
}
END_TEST

/* An edit is a revision; a stale form is refused. */
START_TEST(an_edit_is_a_revision_and_a_stale_form_is_refused)
{
	struct jar ag = { 0 };
	char *id, form[1024];

	web_staff_sign_in(&stack, &ag, "agent@acme.test", PW);
	id = draft(&ag, "Kettle+lid+rattles", "kettle-lid-rattles");
	edit(&ag, id, form, sizeof(form), 303);
	edit(&ag, id, form, sizeof(form), 409);
	sql_owner_is(db, "SELECT title || ' | ' || revision FROM kb_articles WHERE id = $1::bigint",
	    id,
	    "Kettle lid sticks shut | 2");
	free(id);
}
END_TEST

START_TEST(agents_send_for_review_supervisors_publish_and_restore)
{
	struct jar ag = { 0 }, sup = { 0 }, v = { 0 };
	struct th_resp r;
	char *id, path[128], form[1024];
	const char *flash;

	web_staff_sign_in(&stack, &ag, "agent@acme.test", PW);
	id = draft(&ag, "Kettle+lid+sticks", "kettle-lid-sticks");
	edit(&ag, id, form, sizeof(form), 303);
	/* Agents send for review; they do not publish. */
	snprintf(path, sizeof(path), "/agent/kb/%s/status", id);
	snprintf(form, sizeof(form), "/agent/kb/%s", id);
	r = web_post(&stack, &ag, path, form, "status=review");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &ag, path, form, "status=published");
	flash = jar_get(&ag, "csdesk_flash");
	ck_assert_ptr_nonnull(flash);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT status FROM kb_articles WHERE slug = $1", "kettle-lid-sticks",
	    "review");
	web_staff_sign_in(&stack, &sup, "sup@acme.test", PW);
	r = web_post(&stack, &sup, path, form, "status=published");
	th_resp_free(&r);
	sql_owner_is(db, "SELECT status || ' ' || (SELECT name FROM staff WHERE id = reviewer_id)"
	    " FROM kb_articles WHERE slug = $1", "kettle-lid-sticks", "published Sam Supervisor");
	ck_assert_int_eq(web_status(&stack, &v, "/kb/a/kettle-lid-sticks"), 200);

	/* The history says who changed what; revision 1 comes back. */
	r = web_get(&stack, &sup, form);
	ck_assert_ptr_nonnull(strstr(r.body, "title, body — Alex Agent"));
	ck_assert_ptr_nonnull(strstr(r.body, "status — Sam Supervisor"));
	th_resp_free(&r);
	snprintf(path, sizeof(path), "/agent/kb/%s/revisions/1/restore", id);
	r = web_post(&stack, &sup, path, form, "");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT title || ' | ' || body || ' | ' || status || ' | ' || revision"
	    " FROM kb_articles WHERE slug = $1", "kettle-lid-sticks",
	    "Kettle lid sticks | Press firmly. | published | 5");
	free(id);
}
END_TEST

START_TEST(tickets_and_insight)
{
	struct jar ag = { 0 }, ann = { 0 };
	struct th_resp r;
	char *number, *aid, path[128], body[256];

	web_customer_sign_in(&stack, &ann, "ann@alpha.test", PW);
	r = web_post(&stack, &ann, "/tickets", "/tickets/new",
	    "subject=Kettle+full+of+limescale&description=White+flakes+in+my+tea.");
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	number = sql_owner(db, "SELECT number FROM tickets WHERE subject = $1",
	    "Kettle full of limescale");
	web_staff_sign_in(&stack, &ag, "agent@acme.test", PW);

	/* The panel suggests by subject; "use in reply" counts once per ticket. */
	snprintf(path, sizeof(path), "/agent/tickets/%s", number);
	r = web_get(&stack, &ag, path);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "id=\"kb-panel\""));
	ck_assert_ptr_nonnull(strstr(r.body, "Descale your kettle"));
	ck_assert_ptr_null(strstr(r.body, "Make a draft article"));
	th_resp_free(&r);
	aid = sql_owner(db, "SELECT id FROM kb_articles WHERE slug = $1", "descale-kettle");
	snprintf(body, sizeof(body), "article=%s", aid);
	snprintf(path, sizeof(path), "/agent/tickets/%s/kb-link", number);
	snprintf(body + 100, 100, "/agent/tickets/%s", number);
	r = web_post(&stack, &ag, path, body + 100, body);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	r = web_post(&stack, &ag, path, body + 100, body);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT times_used_in_tickets::text FROM kb_articles WHERE slug = $1",
	    "descale-kettle", "1");

	/* Not resolved: no draft. Resolved: a draft for staff only. */
	snprintf(path, sizeof(path), "/agent/tickets/%s/kb-draft", number);
	r = web_post(&stack, &ag, path, body + 100, "");
	th_resp_free(&r);
	sql_owner_is(db, "SELECT count(*) FROM kb_articles WHERE source_ticket_id IS NOT NULL",
	    NULL, "0");
	free(sql_owner(db, "UPDATE tickets SET status = 'resolved' WHERE number = $1", number));
	r = web_post(&stack, &ag, path, body + 100, "");
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Location"), "/agent/kb/"));
	th_resp_free(&r);
	sql_owner_is(db, "SELECT title || ' ' || status || ' ' || visibility || ' ' ||"
	    " (body LIKE '## Problem%White flakes%') FROM kb_articles"
	    " WHERE source_ticket_id IS NOT NULL", NULL,
	    "Kettle full of limescale draft internal true");

	/* Insight: a page and a CSV per report. */
	r = web_get(&stack, &ag, "/kb/search?q=qwertyuiop");
	th_resp_free(&r);
	r = web_get(&stack, &ag, "/agent/kb/insight");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Top searches without results"));
	th_resp_free(&r);
	r = web_get(&stack, &ann, "/kb/search?q=qwertyuiop");
	th_resp_free(&r);
	sql_soon("SELECT count(*) FROM kb_searches WHERE query = $1", "qwertyuiop", "2");
	r = web_get(&stack, &ag, "/agent/kb/insight/no-results.csv");
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(th_header(&r, "Content-Type"), "text/csv"));
	ck_assert_ptr_nonnull(strstr(r.body, "Search,Times,Last searched\r\nqwertyuiop,2,"));
	th_resp_free(&r);
	r = web_get(&stack, &ag, "/agent/kb/insight/nothing.csv");
	ck_assert_int_eq(r.status, 404);
	th_resp_free(&r);
	free(aid);
	free(number);
}
END_TEST

/* The comment's limit is 2,000 characters, whatever their bytes (issue 10). */
START_TEST(vote_comment_counts_characters)
{
	struct jar v = { 0 };
	struct th_resp r;
	struct buf form;
	size_t i;

	buf_init(&form, NULL);
	buf_addstr(&form, "helpful=yes&comment=");
	for (i = 0; i < 2000; i++)
		buf_addstr(&form, "%CE%BB");	/* λ: two bytes, one character */
	r = web_post(&stack, &v, "/kb/a/descale-kettle/rate", "/kb/a/descale-kettle", form.buf);
	ck_assert_int_eq(r.status, 303);
	th_resp_free(&r);
	sql_owner_is(db, "SELECT char_length(comment)::text FROM kb_article_ratings r"
	    " JOIN kb_articles a ON a.id = r.article_id WHERE a.slug = $1", "descale-kettle",
	    "2000");
	buf_addstr(&form, "%CE%BB");
	r = web_post(&stack, &v, "/kb/a/descale-kettle/rate", "/kb/a/descale-kettle", form.buf);
	ck_assert_int_eq(r.status, 303);
	ck_assert_ptr_nonnull(jar_get(&v, "csdesk_flash"));
	th_resp_free(&r);
	sql_owner_is(db, "SELECT char_length(comment)::text FROM kb_article_ratings r"
	    " JOIN kb_articles a ON a.id = r.article_id WHERE a.slug = $1", "descale-kettle",
	    "2000");
	buf_release(&form);
}
END_TEST

Suite *http_kb_suite(void);

Suite *
http_kb_suite(void)
{
	Suite *s = suite_create("http_kb");
	TCase *tc = tcase_create("kb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, article_pages_and_audiences);
	tcase_add_test(tc, translations_by_accept_language);
	tcase_add_test(tc, search_highlights_forgives_and_records);
	tcase_add_test(tc, one_vote_per_browser);
	tcase_add_test(tc, vote_comment_counts_characters);
	tcase_add_test(tc, views_add_up_when_workers_flush);
	tcase_add_test(tc, deflection);
	tcase_add_test(tc, tickets_and_insight);
	suite_add_tcase(s, tc);
	/* Each authoring test writes its own article: one database for the four. */
	tc = tcase_create("authoring");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, preview_renders_safely_and_bad_input_is_kept);
	tcase_add_test(tc, a_saved_article_is_a_draft_the_portal_does_not_show);
	tcase_add_test(tc, an_edit_is_a_revision_and_a_stale_form_is_refused);
	tcase_add_test(tc, agents_send_for_review_supervisors_publish_and_restore);
	suite_add_tcase(s, tc);
	return s;
}
