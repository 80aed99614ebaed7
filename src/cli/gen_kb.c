/* gen_kb.c — see gen_kb.h. */
#include "cli/gen_kb.h"
#include "db/db.h"

#include <stdio.h>
#include <time.h>

#define GEN_KB_BATCH 20000LL

/* Title = product + symptom (+ a model number); the body adds a fix and
 * sentences drawn from the vocabulary by a hash of the article number.
 * Passed as text[] parameters. Audience, type and category are drawn from
 * other digits of the number than the product, so that no product is
 * all internal. */
static const char kb_products[] =
	"{\"printer\",\"router\",\"laptop\",\"kettle\",\"vacuum\",\"thermostat\","
	"\"headset\",\"monitor\",\"keyboard\",\"charger\",\"camera\",\"speaker\","
	"\"dishwasher\",\"fridge\",\"oven\",\"doorbell\",\"tablet\",\"phone\","
	"\"watch\",\"scanner\",\"projector\",\"blender\",\"toaster\",\"heater\","
	"\"fan\",\"lamp\",\"hub\",\"modem\",\"drone\",\"scooter\",\"treadmill\","
	"\"console\",\"mouse\",\"webcam\",\"microwave\",\"purifier\",\"humidifier\","
	"\"dryer\",\"washer\",\"freezer\"}";
static const char kb_symptoms[] =
	"{\"will not turn on\",\"keeps restarting\",\"shows error codes\","
	"\"is very slow\",\"stopped charging\",\"makes a loud noise\","
	"\"cannot connect to wifi\",\"overheats\",\"leaks water\",\"screen flickers\","
	"\"loses settings\",\"does not sync\",\"battery drains fast\","
	"\"display stays blank\",\"buttons do not respond\",\"firmware update fails\","
	"\"pairing fails\",\"smells of burning\",\"blinks red\","
	"\"disconnects randomly\",\"will not update\",\"sound crackles\","
	"\"fan is noisy\",\"light stays orange\",\"password is rejected\","
	"\"app cannot find it\",\"remote does not work\",\"timer is wrong\","
	"\"beeps constantly\",\"shuts off early\"}";
static const char kb_fixes[] =
	"{\"reset it to factory settings\",\"update the firmware\",\"clean the filter\","
	"\"replace the battery\",\"check the power cable\","
	"\"restart the router first\",\"descale the heating element\","
	"\"reinstall the app\",\"move it closer to the hub\","
	"\"recalibrate the sensor\",\"tighten the connector\",\"clear the cache\","
	"\"change the wireless channel\",\"contact support for a repair\","
	"\"register it again in the app\",\"let it cool down for an hour\"}";
static const char kb_words[] =
	"{\"warranty\",\"refund\",\"invoice\",\"delivery\",\"tracking\",\"account\","
	"\"login\",\"password\",\"signal\",\"bluetooth\",\"cable\",\"adapter\","
	"\"socket\",\"voltage\",\"filter\",\"nozzle\",\"sensor\",\"display\",\"menu\","
	"\"settings\",\"schedule\",\"timer\",\"temperature\",\"pressure\","
	"\"limescale\",\"dust\",\"brush\",\"motor\",\"hinge\",\"latch\",\"button\","
	"\"switch\",\"indicator\",\"battery\",\"charger\",\"dock\",\"base\",\"lid\","
	"\"tray\",\"screen\",\"speaker\",\"microphone\",\"camera\",\"lens\","
	"\"storage\",\"memory\",\"update\",\"version\",\"network\",\"channel\","
	"\"band\",\"antenna\",\"range\",\"pairing\",\"profile\",\"subscription\","
	"\"payment\",\"card\",\"order\",\"parcel\",\"courier\",\"return\",\"label\","
	"\"serial\",\"model\",\"manual\",\"guide\",\"safety\",\"cleaning\","
	"\"maintenance\",\"noise\",\"vibration\",\"leak\",\"smell\",\"error\",\"code\","
	"\"light\",\"blinking\",\"restart\",\"reset\",\"factory\",\"backup\","
	"\"restore\",\"sync\",\"cloud\",\"app\",\"phone\",\"tablet\",\"router\","
	"\"modem\",\"firmware\",\"driver\",\"cartridge\",\"toner\",\"paper\",\"jam\","
	"\"scan\",\"print\",\"heating\",\"cooling\",\"defrost\",\"water\",\"descale\","
	"\"vinegar\",\"cycle\",\"programme\"}";

#define TOTAL_COLS(X) \
	X(GT, published, "count(*) FILTER (WHERE status = 'published')") X(GT, all, "count(*)")
enum { DB_COL_ENUM(TOTAL_COLS) };

enum stmt { ST_SESSION, ST_CATEGORIES, ST_ARTICLES, ST_ANALYZE, ST_TOTAL, ST__MAX };

static struct db_stmt stmts[] = {
	[ST_SESSION] = DB_STMT("gen_kb_session",
	    "SELECT set_config('synchronous_commit', 'off', false),"
	    " set_config('gin_pending_list_limit', '65536', false)", 0),
	/* Ten top-level topics with four subtopics each. */
	[ST_CATEGORIES] = DB_STMT("gen_kb_categories",
	    "WITH top AS (INSERT INTO kb_categories (slug, name, position)"
	    " SELECT 'gen-topic-' || i, 'Generated topic ' || i, 100 + i"
	    " FROM generate_series(1, 10) i ON CONFLICT (slug) DO NOTHING RETURNING id, slug)"
	    " INSERT INTO kb_categories (slug, name, parent_id, position)"
	    " SELECT t.slug || '-' || k, 'Subtopic ' || k, t.id, k FROM top t,"
	    " generate_series(1, 4) k ON CONFLICT (slug) DO NOTHING", 0),
	/*
	 * Articles $1 + 1 … $2 of run $3. Slugs carry the run and the number,
	 * so a second run adds rather than collides.
	 */
	[ST_ARTICLES] = DB_STMT("gen_kb_articles",
	    "WITH cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM kb_categories"
	    "  WHERE slug LIKE 'gen-topic-%'),"
	    " v AS (SELECT g, ($4::text[])[1 + g % cardinality($4::text[])] AS p,"
	    "  ($5::text[])[1 + (g / cardinality($4::text[])) % cardinality($5::text[])] AS s,"
	    "  ($6::text[])[1 + (g / 7) % cardinality($6::text[])] AS f"
	    "  FROM generate_series($1::bigint + 1, $2::bigint) AS g)"
	    " INSERT INTO kb_articles (slug, category_id, type, status, visibility, title, summary,"
	    " body, tags)"
	    " SELECT 'gen-' || $3 || '-' || v.g, cats.ids[1 + (v.g / 11) % cardinality(cats.ids)],"
	    " (ARRAY['howto', 'troubleshooting', 'faq', 'best_practice'])[1 + (v.g / 3) % 4], 'published',"
	    " CASE (v.g / 7) % 20 WHEN 0 THEN 'internal' WHEN 1 THEN 'customers'"
	    "  ELSE 'public' END,"
	    " initcap(v.p) || ' ' || v.s || ' (model ' || (v.g % 997) || ')',"
	    " 'What to do when the ' || v.p || ' ' || v.s || '.',"
	    " 'If your ' || v.p || ' ' || v.s || ', ' || v.f || '. '"
	    "  || (SELECT string_agg(($7::text[])"
	    "   [1 + ((v.g * 7919 + i * 104729) % cardinality($7::text[]))], ' ')"
	    "   FROM generate_series(1, 15) AS i) || '. When that does not help, '"
	    "  || ($6::text[])[1 + (v.g / 3) % cardinality($6::text[])] || ' and try again.',"
	    " ARRAY[v.p, ($7::text[])[1 + v.g % cardinality($7::text[])]]"
	    " FROM v, cats", 7),
	/* Also merges the text-search indexes' pending entries into them. */
	[ST_ANALYZE] = DB_STMT("gen_kb_analyze",
	    "VACUUM ANALYZE kb_articles", 0),
	[ST_TOTAL] = DB_STMT("gen_kb_total", "SELECT " DB_COLS(TOTAL_COLS) " FROM kb_articles", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
gen_kb_articles(struct db *db, long long n)
{
	char from[24], to[24], run[24];
	const char *p[] = { from, to, run, kb_products, kb_symptoms, kb_fixes, kb_words };
	double t0 = now();
	long long done;
	PGresult *r;

	snprintf(run, sizeof(run), "%lld", (long long)time(NULL));
	if (db_run(db, &stmts[ST_SESSION], NULL) < 0 || db_run(db, &stmts[ST_CATEGORIES], NULL) < 0)
		goto fail;
	for (done = 0; done < n; done += GEN_KB_BATCH) {
		long long end = done + GEN_KB_BATCH < n ? done + GEN_KB_BATCH : n;

		snprintf(from, sizeof(from), "%lld", done);
		snprintf(to, sizeof(to), "%lld", end);
		if (db_begin(db) < 0 || db_run(db, &stmts[ST_ARTICLES], p) < 0 || db_commit(db) < 0) {
			db_rollback(db);
			goto fail;
		}
		fprintf(stderr, "\rcsdesk gen: %lld / %lld articles", end, n);
	}
	fprintf(stderr, "\n");
	if (db_run(db, &stmts[ST_ANALYZE], NULL) < 0 || (r = db_exec(db, &stmts[ST_TOTAL], NULL)) ==
	    NULL)
		goto fail;
	printf("gen: %lld articles in %.1f s; the knowledge base now has %s published of %s\n", n,
	    now() - t0, PQgetvalue(r, 0, GT_published), PQgetvalue(r, 0, GT_all));
	PQclear(r);
	return 0;
fail:
	fprintf(stderr, "csdesk gen: loading articles failed (see above)\n");
	return -1;
}
