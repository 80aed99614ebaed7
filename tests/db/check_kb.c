/*
 * The knowledge base in the database, read through the portal's role as
 * the portal reads it: search ranks a title match above body matches,
 * finds "pasword" for "password", never shows drafts or internal articles
 * to customers, and keeps articles for customers from visitors; one vote
 * per person; views added in batches add up; a translation is shown while
 * current and not once its original changed; every edit is a revision.
 */
#include "../lib/dispatch.h"
#include "../lib/fixtures.h"
#include "../lib/harness.h"
#include "../lib/sql.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/kb.h"
#include "domain/kb_author.h"
#include "domain/kb_query.h"
#include "domain/kb_search.h"
#include "domain/kb_suggest.h"
#include "domain/kb_views.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *conninfo, *as_portal;
static struct db owner, portal;
static struct arena *arena;

static const char fixture[] =
    "INSERT INTO staff (email, name, password_hash, roles) VALUES"
    " ('writer@t.test', 'Wendy Writer', 'x', ARRAY['agent']);"
    "INSERT INTO kb_categories (slug, name) VALUES ('account', 'Account'), ('devices', 'Devices');"
    "INSERT INTO kb_categories (slug, name, parent_id) SELECT 'routers', 'Routers', id"
    " FROM kb_categories WHERE slug = 'devices';"
    "INSERT INTO kb_articles (slug, category_id, type, status, visibility, title, body, tags)"
    " SELECT v.slug, c.id, v.type, v.status, v.vis, v.title, v.body, v.tags FROM (VALUES"
    " ('router-lights', 'routers', 'troubleshooting', 'published', 'public',"
    "  'Router lights explained', 'The admin password is on the label. Change the password"
    " after setup: a password shared by every router of a batch is a risk. Password again.',"
    "  ARRAY['router']),"
    " ('password-rules', 'account', 'howto', 'published', 'public', 'Password rules',"
    "  'Choose a long phrase of several words.', ARRAY['account']),"
    " ('draft-tips', 'account', 'faq', 'draft', 'public', 'Password tips (draft)',"
    "  'Unfinished password advice.', ARRAY['account']),"
    " ('staff-vault', 'account', 'best_practice', 'published', 'internal',"
    "  'Password vault for staff', 'Where the shared password vault lives.', ARRAY['account']),"
    " ('invoice-terms', 'account', 'faq', 'published', 'customers', 'Invoice terms',"
    "  'Business customers pay by invoice within 30 days.', ARRAY['account'])"
    " ) AS v (slug, cat, type, status, vis, title, body, tags)"
    " JOIN kb_categories c ON c.slug = v.cat;";

/* Test SQL as the owner: column 0 of row 0, malloc'd (tests/lib/sql.h). */
#define owner_value(sql) th_value(&owner, (sql))

static void
owner_is(const char *sql, const char *want)
{
	char *got = owner_value(sql);

	ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'", sql, got, want);
	free(got);
}

static void
suite_setup(void)
{
	struct db d;

	conninfo = th_db_create("kb");
	as_portal = th_db_as(conninfo, "csdesk_portal");
	ck_assert_int_eq(db_open(&d, conninfo, "check_kb_setup"), 0);
	ck_assert_int_eq(db_script(&d, fixture, "fixture"), 0);
	db_close(&d);
}

static void
suite_teardown(void)
{
	th_db_drop(conninfo);
	free(as_portal);
	free(conninfo);
}

static void
setup(void)
{
	ck_assert_int_eq(db_open(&owner, conninfo, "check_kb"), 0);
	ck_assert_int_eq(db_open(&portal, as_portal, "check_kb_portal"), 0);
	arena = arena_new(1 << 16);
}

static void
teardown(void)
{
	arena_free(arena);
	db_close(&portal);
	db_close(&owner);
}

static struct kb_results
search(const char *q, enum kb_audience aud)
{
	struct kb_search s = { 0 };
	struct kb_results res;

	s.q = kb_query_normalise(arena, q);
	s.aud = aud;
	s.limit = 10;
	ck_assert_int_eq(kb_search_run(&portal, arena, &s, &res), CS_OK);
	return res;
}

static int
has(const struct kb_results *res, const char *slug)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (strcmp(res->rows[i].slug, slug) == 0)
			return 1;
	return 0;
}

START_TEST(title_match_ranks_first)
{
	struct kb_results res = search("password", KB_VISITOR);

	ck_assert_int_eq((int)res.n, 2);
	ck_assert_int_eq((int)res.total, 2);
	/* The body says "password" four times; the other's title says it once. */
	ck_assert_str_eq(res.rows[0].slug, "password-rules");
	ck_assert_str_eq(res.rows[1].slug, "router-lights");
	ck_assert_ptr_null(res.corrected);
	/* The snippet is escaped HTML with the match marked. */
	ck_assert_ptr_nonnull(strstr(res.rows[1].snippet, "<mark>password</mark>"));
}
END_TEST

START_TEST(typo_is_corrected)
{
	struct kb_results res = search("pasword", KB_VISITOR);

	ck_assert_ptr_nonnull(res.corrected);
	ck_assert_str_eq(res.corrected, "password");
	ck_assert(has(&res, "password-rules"));
	res = search("rooter lights", KB_VISITOR);
	ck_assert(has(&res, "router-lights"));
	/* Words only drafts or internal articles use are never suggested. */
	res = search("vaullt", KB_STAFF);
	ck_assert_int_eq((int)res.n, 0);
}
END_TEST

/* Each worker keeps the word list; a word published later is corrected to. */
START_TEST(a_word_published_later_is_corrected_to)
{
	struct kb_results res = search("wombatt", KB_CUSTOMER);

	ck_assert_ptr_null(res.corrected);
	ck_assert_int_eq((int)res.n, 0);
	/* For customers: no visitor's count changes. */
	free(owner_value("INSERT INTO kb_articles (slug, category_id, type, status, visibility,"
	    " title, body) SELECT 'wombat-care', id, 'faq', 'published', 'customers',"
	    " 'Wombat care', 'Feeding a wombat.' FROM kb_categories WHERE slug = 'account'"));
	res = search("wombatt", KB_CUSTOMER);
	ck_assert_ptr_nonnull(res.corrected);
	ck_assert_str_eq(res.corrected, "wombat");
	ck_assert(has(&res, "wombat-care"));
	free(owner_value("DELETE FROM kb_articles WHERE slug = 'wombat-care'"));
}
END_TEST

/*
 * A ticket opened through its use case has its suggestions found when the
 * events are handled (the "kb" consumer), so the agent's first view of the
 * page reads them instead of searching.
 */
START_TEST(ticket_suggestions_found_when_opened)
{
	struct fx_person pat;
	struct fx_ticket t;
	char sql[256];

	fx_customer(conninfo, "Pat Opened", NULL, "standard", &pat);
	fx_ticket(conninfo, &pat, "Router lights blink all night", &t);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM kb_ticket_suggestions"
	    " WHERE ticket_id = %lld", t.id);
	owner_is(sql, "0");
	th_dispatch(conninfo);
	snprintf(sql, sizeof(sql), "SELECT a.slug FROM kb_ticket_suggestions s"
	    " JOIN kb_articles a ON a.id = s.article_ids[1] WHERE s.ticket_id = %lld", t.id);
	owner_is(sql, "router-lights");
}
END_TEST

/*
 * What a ticket's subject suggests (the "kb" consumer finds the list when
 * the ticket is opened): the article whose title has the subject's words
 * first, internal articles too (agents read them), never a draft; nothing
 * for a subject of no known word.
 */
static const struct {
	const char *subject, *first, *never;
} suggested[] = {
	{ "Router lights blink all night", "router-lights", "draft-tips" },
	{ "Password rules for my account", "password-rules", "draft-tips" },
	{ "Where is the password vault", "staff-vault", "draft-tips" },
	{ "Question about invoice terms", "invoice-terms", "draft-tips" },
	{ "Zzyzx qwop", NULL, NULL },
};

/* "1:" and the slugs of ticket id's stored list in order, blank-separated
 * ("0:" when none is stored), malloc'd. */
static char *
stored_slugs(long long id)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM kb_ticket_suggestions"
	    " WHERE ticket_id = %lld) || ':' || coalesce((SELECT string_agg(a.slug, ' '"
	    " ORDER BY u.n) FROM kb_ticket_suggestions s, unnest(s.article_ids)"
	    " WITH ORDINALITY AS u (id, n) JOIN kb_articles a ON a.id = u.id"
	    " WHERE s.ticket_id = %lld), '')", id, id);
	return owner_value(sql);
}

START_TEST(subjects_suggest_their_articles)
{
	struct fx_person pat;
	struct fx_ticket t;
	size_t i;
	char *got;

	fx_customer(conninfo, "Pat Subjects", NULL, "standard", &pat);
	for (i = 0; i < sizeof(suggested) / sizeof(suggested[0]); i++) {
		fx_ticket(conninfo, &pat, suggested[i].subject, &t);
		th_dispatch(conninfo);
		got = stored_slugs(t.id);
		if (suggested[i].first == NULL)
			ck_assert_msg(strcmp(got, "1:") == 0, "%s: got '%s'", suggested[i].subject,
			    got);
		else
			ck_assert_msg(strncmp(got + 2, suggested[i].first,
			    strlen(suggested[i].first)) == 0 && strncmp(got, "1:", 2) == 0,
			    "%s: got '%s', want %s first", suggested[i].subject, got,
			    suggested[i].first);
		if (suggested[i].never != NULL)
			ck_assert_msg(strstr(got, suggested[i].never) == NULL, "%s: got '%s'",
			    suggested[i].subject, got);
		free(got);
	}
}
END_TEST

/*
 * A subject of common words, with more articles whose title has them than
 * are ranked: the list stored when the ticket is opened is the one the
 * page's own search by any word finds (kb_suggest_find), best first.
 */
START_TEST(stored_list_is_the_search_by_any_word)
{
	struct fx_person pat;
	struct fx_ticket t;
	struct kb_results found;
	const char *ids;
	char sql[256], *got;

	free(owner_value("INSERT INTO kb_articles (slug, category_id, type, status, visibility,"
	    " title, body) SELECT 'kettle-hums-' || g, c.id, 'faq', 'published', 'public',"
	    " 'Kettle hums (model ' || g || ')', repeat('Descale it. ', g % 4 + 1)"
	    " FROM kb_categories c, generate_series(1, 30) g WHERE c.slug = 'devices'"));
	fx_customer(conninfo, "Pat Kettle", NULL, "standard", &pat);
	fx_ticket(conninfo, &pat, "Kettle hums after descaling", &t);
	th_dispatch(conninfo);
	ck_assert_int_eq(kb_suggest_find(&owner, arena, "Kettle hums after descaling",
	    KB_SUGGEST_MAX, &found, &ids), CS_OK);
	ck_assert_int_eq((int)found.n, KB_SUGGEST_MAX);
	ck_assert(strncmp(found.rows[0].slug, "kettle-hums-", 12) == 0);
	snprintf(sql, sizeof(sql), "SELECT article_ids::text FROM kb_ticket_suggestions"
	    " WHERE ticket_id = %lld", t.id);
	got = owner_value(sql);
	ck_assert_str_eq(got, ids);
	free(got);
	free(owner_value("DELETE FROM kb_articles WHERE slug LIKE 'kettle-hums-%'"));
}
END_TEST

/*
 * Tickets opened about the same thing get the same list, one search for
 * them all; an article published in between is suggested to the tickets
 * opened after it.
 */
START_TEST(same_subject_same_list_until_the_kb_changes)
{
	struct fx_person pat;
	struct fx_ticket t1, t2, t3;
	char *got1, *got2, *got3;

	fx_customer(conninfo, "Pat Same", NULL, "standard", &pat);
	fx_ticket(conninfo, &pat, "Router lights are red", &t1);
	fx_ticket(conninfo, &pat, "router lights are RED!", &t2);
	th_dispatch(conninfo);
	got1 = stored_slugs(t1.id);
	got2 = stored_slugs(t2.id);
	ck_assert_str_eq(got1, "1:router-lights");
	ck_assert_str_eq(got2, got1);
	free(owner_value("INSERT INTO kb_articles (slug, category_id, type, status, visibility,"
	    " title, body) SELECT 'red-lights', id, 'faq', 'published', 'public',"
	    " 'Red lights on a router', 'Red means no line.' FROM kb_categories"
	    " WHERE slug = 'routers'"));
	fx_ticket(conninfo, &pat, "Router lights are red", &t3);
	th_dispatch(conninfo);
	got3 = stored_slugs(t3.id);
	ck_assert_msg(strstr(got3, "red-lights") != NULL, "got '%s'", got3);
	free(owner_value("DELETE FROM kb_articles WHERE slug = 'red-lights'"));
	free(got1);
	free(got2);
	free(got3);
}
END_TEST

/*
 * The panel's suggestions for a ticket are found once and kept: the same
 * list comes back without a search until the subject changes or an article
 * is published or withdrawn.
 */
START_TEST(ticket_suggestions_are_kept)
{
	char *console_info = th_db_as(conninfo, "csdesk_console");
	struct fx_person pat;
	struct fx_ticket t;
	struct kb_results res;
	struct db console;
	char sql[256];

	fx_customer(conninfo, "Pat Suggest", NULL, "standard", &pat);
	fx_ticket(conninfo, &pat, "Router lights blink", &t);
	ck_assert_int_eq(db_open(&console, console_info, "check_kb_console"), 0);
	ck_assert_int_eq(kb_ticket_suggestions(&console, arena, t.id, 5, &res), CS_OK);
	ck_assert(res.n >= 1);
	ck_assert_str_eq(res.rows[0].slug, "router-lights");
	snprintf(sql, sizeof(sql), "SELECT array_length(article_ids, 1) FROM kb_ticket_suggestions"
	    " WHERE ticket_id = %lld", t.id);
	owner_is(sql, arena_printf(arena, "%zu", res.n));
	/* Kept: what is stored is what is shown. */
	snprintf(sql, sizeof(sql), "UPDATE kb_ticket_suggestions SET article_ids ="
	    " (SELECT ARRAY[id] FROM kb_articles WHERE slug = 'password-rules')"
	    " WHERE ticket_id = %lld", t.id);
	free(owner_value(sql));
	ck_assert_int_eq(kb_ticket_suggestions(&console, arena, t.id, 5, &res), CS_OK);
	ck_assert_int_eq((int)res.n, 1);
	ck_assert_str_eq(res.rows[0].slug, "password-rules");
	/* A new subject drops the list; the next view finds it again. */
	snprintf(sql, sizeof(sql), "UPDATE tickets SET subject = 'Invoice terms' WHERE id = %lld",
	    t.id);
	free(owner_value(sql));
	ck_assert_int_eq(kb_ticket_suggestions(&console, arena, t.id, 5, &res),
	    CS_OK);
	ck_assert(res.n >= 1);
	ck_assert_str_eq(res.rows[0].slug, "invoice-terms");
	/* An article withdrawn is not suggested, even before the list is found again. */
	free(owner_value("UPDATE kb_articles SET status = 'archived' WHERE slug = 'invoice-terms'"));
	ck_assert_int_eq(kb_ticket_suggestions(&console, arena, t.id, 5, &res),
	    CS_OK);
	ck_assert(!has(&res, "invoice-terms"));
	free(owner_value("UPDATE kb_articles SET status = 'published' WHERE slug = 'invoice-terms'"));
	db_close(&console);
	free(console_info);
}
END_TEST

START_TEST(audiences)
{
	const char *langs[] = { "en" };
	const char *why;
	struct kb_article art;
	struct kb_results res = search("password", KB_CUSTOMER);

	ck_assert(!has(&res, "draft-tips"));
	ck_assert(!has(&res, "staff-vault"));
	res = search("password", KB_STAFF);
	ck_assert(has(&res, "staff-vault"));
	ck_assert(!has(&res, "draft-tips"));
	res = search("invoice", KB_VISITOR);
	ck_assert_int_eq((int)res.n, 0);
	res = search("invoice", KB_CUSTOMER);
	ck_assert(has(&res, "invoice-terms"));

	ck_assert_int_eq(kb_article_by_slug(&portal, arena, KB_CUSTOMER, "draft-tips", langs, 1,
	    &art, &why), CS_NOT_FOUND);
	ck_assert_int_eq(kb_article_by_slug(&portal, arena, KB_CUSTOMER, "staff-vault", langs, 1,
	    &art, &why), CS_NOT_FOUND);
	ck_assert_int_eq(kb_article_by_slug(&portal, arena, KB_VISITOR, "invoice-terms", langs, 1,
	    &art, &why), CS_REFUSED);
	ck_assert_int_eq(kb_article_by_slug(&portal, arena, KB_CUSTOMER, "invoice-terms", langs, 1,
	    &art, &why), CS_OK);
	ck_assert_str_eq(art.title, "Invoice terms");
}
END_TEST

START_TEST(one_vote_per_person)
{
	char *id = owner_value("SELECT id FROM kb_articles WHERE slug = 'password-rules'");
	long long aid = atoll(id);
	const char *why;
	PGresult *r;

	free(id);
	ck_assert_int_eq(kb_rate(&portal, aid, "a0123456789abcdef0123456789abcdef", 1, 0, NULL, 0,
	    NULL, &why), CS_OK);
	ck_assert_int_eq(kb_rate(&portal, aid, "a0123456789abcdef0123456789abcdef", 1, 4, "ok", 0,
	    NULL, &why), CS_OK);
	owner_is("SELECT helpful_yes || '/' || helpful_no || ' ' || stars_sum || '/' || stars_count"
	    " FROM kb_articles WHERE slug = 'password-rules'", "1/0 4/1");
	/* Changing one's mind moves the vote, it does not add one. */
	ck_assert_int_eq(kb_rate(&portal, aid, "a0123456789abcdef0123456789abcdef", 0, 2, NULL, 0,
	    NULL, &why), CS_OK);
	ck_assert_int_eq(kb_rate(&portal, aid, "u2a", 1, 5, NULL, 1, NULL, &why), CS_OK);
	owner_is("SELECT helpful_yes || '/' || helpful_no || ' ' || stars_sum || '/' || stars_count"
	    " FROM kb_articles WHERE slug = 'password-rules'", "1/1 7/2");
	owner_is("SELECT count(*) FROM kb_article_ratings", "2");
	/* Anonymous votes with a fresh cookie each from one address count once. */
	ck_assert_int_eq(kb_rate(&portal, aid, "a11111111111111111111111111111111", 1, 0, NULL, 0,
	    "203.0.113.7", &why), CS_OK);
	ck_assert_int_eq(kb_rate(&portal, aid, "a22222222222222222222222222222222", 1, 0, NULL, 0,
	    "203.0.113.7", &why), CS_OK);
	owner_is("SELECT count(*) FROM kb_article_ratings", "3");
	owner_is("SELECT helpful_yes FROM kb_articles WHERE slug = 'password-rules'", "2");
	/* The portal may not read votes, nor rate what a voter cannot see. */
	r = PQexec(portal.conn, "SELECT count(*) FROM kb_article_ratings");
	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	PQclear(r);
	id = owner_value("SELECT id FROM kb_articles WHERE slug = 'invoice-terms'");
	ck_assert_int_eq(kb_rate(&portal, atoll(id), "a0123456789abcdef0123456789abcdef", 1, 0,
	    NULL, 0, NULL, &why), CS_NOT_FOUND);
	ck_assert_int_eq(kb_rate(&portal, atoll(id), "u2a", 1, 0, NULL, 1, NULL, &why), CS_OK);
	free(id);
	id = owner_value("SELECT id FROM kb_articles WHERE slug = 'draft-tips'");
	ck_assert_int_eq(kb_rate(&portal, atoll(id), "u2a", 1, 0, NULL, 1, NULL, &why), CS_NOT_FOUND);
	free(id);
}
END_TEST

START_TEST(views_add_up)
{
	char *id = owner_value("SELECT id FROM kb_articles WHERE slug = 'router-lights'");
	char *id2 = owner_value("SELECT id FROM kb_articles WHERE slug = 'password-rules'");
	int i;

	free(owner_value("UPDATE kb_articles SET view_count = 0"));
	for (i = 0; i < 7; i++)
		kb_views_count(atoll(id));
	kb_views_count(atoll(id2));
	/* Not due yet: nothing written. */
	ck_assert_int_eq(kb_views_flush(&portal, 0), CS_OK);
	owner_is("SELECT sum(view_count) FROM kb_articles", "0");
	ck_assert_int_eq((int)kb_views_pending(), 8);
	ck_assert_int_eq(kb_views_flush(&portal, 1), CS_OK);
	ck_assert_int_eq((int)kb_views_pending(), 0);
	owner_is("SELECT string_agg(slug || '=' || view_count, ',' ORDER BY slug) FROM kb_articles"
	    " WHERE view_count > 0", "password-rules=1,router-lights=7");
	/* Enough pending views flush without waiting for the clock. */
	for (i = 0; i < KB_VIEWS_PENDING_MAX; i++)
		kb_views_count(atoll(id2));
	ck_assert_int_eq(kb_views_flush(&portal, 0), CS_OK);
	owner_is("SELECT view_count FROM kb_articles WHERE slug = 'password-rules'", "1001");
	free(id);
	free(id2);
}
END_TEST

START_TEST(translations_follow_the_original)
{
	const char *de[] = { "de", "en" };
	const char *why;
	struct kb_article art;

	free(owner_value("INSERT INTO kb_articles (slug, category_id, type, status, language,"
	    " original_id, source_version, title, body) SELECT slug, category_id, type, 'published',"
	    " 'de', id, content_version, 'Passwortregeln', 'Wählen Sie einen langen Satz.'"
	    " FROM kb_articles WHERE slug = 'password-rules'"));
	ck_assert_int_eq(kb_article_by_slug(&portal, arena, KB_VISITOR, "password-rules", de, 2,
	    &art, &why), CS_OK);
	ck_assert_str_eq(art.title, "Passwortregeln");
	ck_assert_str_eq(art.language, "de");
	ck_assert_str_eq(art.original_language, "en");
	/* A new tag is not new text: the translation stays current. */
	free(owner_value("UPDATE kb_articles SET tags = ARRAY['account', 'security']"
	    " WHERE slug = 'password-rules' AND original_id IS NULL"));
	ck_assert_int_eq(kb_article_by_slug(&portal, arena, KB_VISITOR, "password-rules", de, 2,
	    &art, &why), CS_OK);
	ck_assert_str_eq(art.title, "Passwortregeln");
	free(owner_value("UPDATE kb_articles SET body = 'Choose a long phrase. Never reuse it.'"
	    " WHERE slug = 'password-rules' AND original_id IS NULL"));
	ck_assert_int_eq(kb_article_by_slug(&portal, arena, KB_VISITOR, "password-rules", de, 2,
	    &art, &why), CS_OK);
	ck_assert_str_eq(art.title, "Password rules");
	ck_assert_ptr_null(art.original_language);
	free(owner_value("DELETE FROM kb_articles WHERE language = 'de'"));
}
END_TEST

START_TEST(revisions_record_changes)
{
	free(owner_value("UPDATE kb_articles SET title = 'Router lights and what they mean',"
	    " status = 'archived', updated_by = (SELECT id FROM staff WHERE email = 'writer@t.test')"
	    " WHERE slug = 'router-lights'"));
	owner_is("SELECT string_agg(r.revision || ':' || array_to_string(r.changed, '+') || ':' ||"
	    " coalesce(s.name, '-'), ',' ORDER BY r.revision) FROM kb_revisions r"
	    " LEFT JOIN staff s ON s.id = r.staff_id JOIN kb_articles a ON a.id = r.article_id"
	    " WHERE a.slug = 'router-lights'", "1:created:-,2:title+status:Wendy Writer");
	/* Counters are not revisions. */
	free(owner_value("UPDATE kb_articles SET view_count = view_count + 1"
	    " WHERE slug = 'router-lights'"));
	owner_is("SELECT revision FROM kb_articles WHERE slug = 'router-lights'", "2");
	free(owner_value("UPDATE kb_articles SET title = 'Router lights explained', status = 'published'"
	    " WHERE slug = 'router-lights'"));
}
END_TEST

START_TEST(category_tree_order)
{
	struct kb_category *c;
	size_t n;

	/* Positions compare as numbers (2 before 10), children follow parents. */
	free(owner_value("UPDATE kb_categories SET position = CASE slug WHEN 'account' THEN 10"
	    " WHEN 'devices' THEN 2 ELSE 0 END"));
	ck_assert_int_eq(kb_categories(&portal, arena, KB_VISITOR, 1, &c, &n), CS_OK);
	ck_assert_int_eq((int)n, 3);
	ck_assert_str_eq(c[0].slug, "devices");
	ck_assert_str_eq(c[1].slug, "routers");
	ck_assert_int_eq(c[1].depth, 1);
	ck_assert_str_eq(c[2].slug, "account");
	/* Counts are of what the reader may read: the draft and the internal
	 * and customers' articles are not counted for a visitor. */
	ck_assert_int_eq((int)c[2].articles, 1);
	ck_assert_int_eq((int)c[1].articles, 1);
}
END_TEST

START_TEST(category_cannot_move_under_itself)
{
	PGresult *r = PQexec(owner.conn, "UPDATE kb_categories SET parent_id ="
	    " (SELECT id FROM kb_categories WHERE slug = 'routers') WHERE slug = 'devices'");

	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	PQclear(r);
}
END_TEST

/* n copies of the two-byte "λ" (a Greek letter), in the arena. */
static const char *
greek(size_t n)
{
	char *s = arena_alloc(arena, 2 * n + 1);
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + 2 * i, "\xce\xbb", 2);
	s[2 * n] = '\0';
	return s;
}

/* Limits are characters, as the tables count them, not bytes. */
START_TEST(limits_are_characters)
{
	struct kb_edit e = { 0 };
	const char *why = NULL;
	char *id = owner_value("SELECT id FROM kb_articles WHERE slug = 'password-rules'");
	long long aid = atoll(id);

	free(id);
	e.category_id = 1;
	e.type = "faq";
	e.visibility = "public";
	e.body = greek(KB_SUMMARY_MAX);
	e.summary = greek(KB_SUMMARY_MAX);
	e.title = greek(KB_TITLE_MAX);
	ck_assert_int_eq(kb_author_check(&e, &why), CS_OK);
	e.title = greek(KB_TITLE_MAX + 1);
	ck_assert_int_eq(kb_author_check(&e, &why), CS_REFUSED);
	ck_assert_str_eq(why, "The title is longer than 200 characters.");
	e.title = "Fine";
	e.tags = greek(KB_TAG_MAX);
	ck_assert_int_eq(kb_author_check(&e, &why), CS_OK);
	ck_assert_int_eq(kb_rate(&portal, aid, "u2b", 1, 0, greek(KB_COMMENT_MAX), 1, NULL, &why), CS_OK);
	ck_assert_int_eq(kb_rate(&portal, aid, "u2b", 1, 0, greek(KB_COMMENT_MAX + 1), 1, NULL, &why),
	    CS_REFUSED);
	ck_assert_int_eq(kb_rate(&portal, aid, "u2b", -1, 0, NULL, 1, NULL, &why), CS_REFUSED);
	ck_assert_str_eq(why, "Choose yes or no, or a number of stars.");
}
END_TEST

Suite *kb_suite(void);

Suite *
kb_suite(void)
{
	Suite *s = suite_create("kb");
	TCase *tc = tcase_create("kb");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, title_match_ranks_first);
	tcase_add_test(tc, typo_is_corrected);
	tcase_add_test(tc, a_word_published_later_is_corrected_to);
	tcase_add_test(tc, ticket_suggestions_are_kept);
	tcase_add_test(tc, ticket_suggestions_found_when_opened);
	tcase_add_test(tc, subjects_suggest_their_articles);
	tcase_add_test(tc, stored_list_is_the_search_by_any_word);
	tcase_add_test(tc, same_subject_same_list_until_the_kb_changes);
	tcase_add_test(tc, audiences);
	tcase_add_test(tc, one_vote_per_person);
	tcase_add_test(tc, views_add_up);
	tcase_add_test(tc, translations_follow_the_original);
	tcase_add_test(tc, revisions_record_changes);
	tcase_add_test(tc, category_tree_order);
	tcase_add_test(tc, category_cannot_move_under_itself);
	tcase_add_test(tc, limits_are_characters);
	suite_add_tcase(s, tc);
	return s;
}
