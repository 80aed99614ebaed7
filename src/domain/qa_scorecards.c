/* qa_scorecards.c — the admins' scorecards; see qa.h. */
#include "domain/qa.h"
#include "core/arena.h"
#include "core/utf8.h"
#include "db/db.h"
#include "domain/admin_audit.h"
#include "domain/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CARD_COLS(X) \
	X(SC, id, "s.id") X(SC, name, "s.name") X(SC, active, "s.active") \
	X(SC, criteria, "(SELECT count(*) FROM qa_criteria c WHERE c.scorecard_id = s.id)") \
	X(SC, weight, "(SELECT coalesce(sum(weight), 0) FROM qa_criteria c" \
	    " WHERE c.scorecard_id = s.id)") \
	X(SC, reviews, "(SELECT count(*) FROM qa_reviews r WHERE r.scorecard_id = s.id)")
enum { DB_COL_ENUM(CARD_COLS) };
#define ID_COLS(X) X(SI, id, "id")
enum { DB_COL_ENUM(ID_COLS) };

enum stmt {
	ST_LIST,
	ST_INSERT,
	ST_CRITERION,
	ST_ACTIVE,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_LIST] = DB_STMT("qa_scorecards_list",
	    "SELECT " DB_COLS(CARD_COLS) " FROM qa_scorecards s WHERE s.active OR NOT $1::boolean"
	    " ORDER BY lower(s.name), s.id", 1),
	[ST_INSERT] = DB_STMT("qa_scorecard_insert",
	    "INSERT INTO qa_scorecards (name) VALUES ($1) RETURNING " DB_COLS(ID_COLS), 1),
	[ST_CRITERION] = DB_STMT("qa_criterion_insert",
	    "INSERT INTO qa_criteria (scorecard_id, position, name, weight)"
	    " VALUES ($1::bigint, $2::integer, $3, $4::integer)", 4),
	[ST_ACTIVE] = DB_STMT("qa_scorecard_active",
	    "UPDATE qa_scorecards SET active = $2::boolean WHERE id = $1::bigint"
	    " RETURNING " DB_COLS(ID_COLS), 2),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "one statement per enum stmt");

static enum cs_result
fill(struct arena *a, const PGresult *r, int i, void *elem)
{
	struct qa_scorecard *s = elem;
	int failed = 0;

	s->id = db_ll(r, i, SC_id);
	s->name = db_str(a, r, i, SC_name, &failed);
	s->active = db_bool(r, i, SC_active);
	s->criteria = (int)db_ll(r, i, SC_criteria);
	s->total_weight = (int)db_ll(r, i, SC_weight);
	s->reviews = db_ll(r, i, SC_reviews);
	return failed ? CS_FAILED : CS_OK;
}

enum cs_result
qa_scorecards_list(struct db *db, struct arena *a, int active_only, struct qa_scorecard **out,
    size_t *n)
{
	const char *p[] = { active_only ? "true" : "false" };
	void *rows;
	enum cs_result rc = db_rows(db, a, &stmts[ST_LIST], p, sizeof(**out), fill, &rows, n);

	*out = rows;
	return rc;
}

struct parsed {
	char *name;
	int weight;
};

static enum cs_result
refuse(const char **why, const char **field, const char *f, const char *sentence)
{
	*why = sentence;
	*field = f;
	return CS_REFUSED;
}

/* s with the blanks at both ends cut off, in place. */
static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* The criteria lines of text, into c (at most QA_CRITERIA_MAX); *n how many. */
static enum cs_result
criteria_parse(struct arena *a, const char *text, struct parsed *c, size_t *n, const char **why,
    const char **field)
{
	char *copy = arena_strdup(a, text != NULL ? text : ""), *line, *next;

	*n = 0;
	if (copy == NULL)
		return CS_FAILED;
	for (line = copy; line != NULL; line = next) {
		char *bar, *end, *name;
		long w;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*trim(line) == '\0')
			continue;
		if (*n == QA_CRITERIA_MAX)
			return refuse(why, field, "criteria", "A scorecard has at most 50 criteria.");
		if ((bar = strrchr(line, '|')) == NULL)
			return refuse(why, field, "criteria",
			    "Write each criterion as “name | weight”, one per line.");
		*bar = '\0';
		name = trim(line);
		w = strtol(trim(bar + 1), &end, 10);
		if (*end != '\0' || w < 1 || w > QA_WEIGHT_MAX)
			return refuse(why, field, "criteria", "A weight is a number from 1 to 100.");
		if (*name == '\0' || utf8_chars(name) > QA_CRITERION_MAX)
			return refuse(why, field, "criteria",
			    "A criterion's name has 1 to 200 characters.");
		c[*n].name = name;
		c[*n].weight = (int)w;
		++*n;
	}
	return *n > 0 ? CS_OK : refuse(why, field, "criteria", "Give at least one criterion.");
}

enum cs_result
qa_scorecard_create(struct db *db, struct arena *a, const struct audit_entry *by,
    const char *name, const char *text, long long *id, const char **why, const char **field)
{
	struct parsed c[QA_CRITERIA_MAX];
	const char *p[] = { name };
	size_t n, i, len = utf8_chars(name);
	enum cs_result rc;

	*id = 0;
	if (len == 0 || len > QA_NAME_MAX)
		return refuse(why, field, "name", "A name has 1 to 100 characters.");
	if ((rc = criteria_parse(a, text, c, &n, why, field)) != CS_OK)
		return rc;
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_INSERT], p, SI_id, id);
	for (i = 0; rc == CS_OK && i < n; i++) {
		char sb[24], pb[24], wb[16];
		const char *q[] = { sb, pb, c[i].name, wb };

		snprintf(sb, sizeof(sb), "%lld", *id);
		snprintf(pb, sizeof(pb), "%zu", i + 1);
		snprintf(wb, sizeof(wb), "%d", c[i].weight);
		rc = db_do(db, &stmts[ST_CRITERION], q);
	}
	if (rc == CS_OK)
		rc = admin_audit(db, by, "qa_scorecard.create", "qa_scorecard", *id,
		    json_pack("{s:s, s:i}", "name", name, "criteria", (int)n));
	if ((rc = db_end(db, rc)) != CS_OK)
		*id = 0;
	if (rc == CS_TAKEN) {
		*field = "name";
		*why = "There is already a scorecard with that name.";
	}
	return rc;
}

enum cs_result
qa_scorecard_set_active(struct db *db, const struct audit_entry *by, long long id, int active)
{
	char ib[24];
	const char *p[] = { ib, active ? "true" : "false" };
	long long got;
	enum cs_result rc;

	snprintf(ib, sizeof(ib), "%lld", id);
	if (db_begin(db) < 0)
		return db_result(db);
	rc = db_id(db, &stmts[ST_ACTIVE], p, SI_id, &got);
	if (rc == CS_OK)
		rc = admin_audit(db, by, "qa_scorecard.update", "qa_scorecard", id,
		    json_pack("{s:b}", "active", active));
	return db_end(db, rc);
}
