/*
 * admin_routing.c — the routing rules: GET /agent/admin/routing (the
 * rules in the order they are tried), GET|POST /agent/admin/routing/new,
 * GET|POST /agent/admin/routing/{id} (edit), POST …/{id}/delete and
 * POST …/{id}/move (direction=up|down). Routes and access (admin only)
 * are in cgi-bin/console.c; the rules are applied by ticket_route() in SQL.
 *
 * What the form accepts: every condition is optional — a rule without any
 * matches every ticket (a catch-all, best kept last). An empty keyword is
 * no keyword condition, not "matches everything". A rule needs at least
 * one action, since the first rule that matches ends routing: one that
 * changed nothing would only hide the rules after it. Ids must be among
 * the active categories, queues and teams the form offers.
 */
#include "web/admin_form.h"
#include "console/handlers.h"
#include "core/arena.h"
#include "domain/audit.h"
#include "domain/customers.h"
#include "domain/routing_admin.h"
#include "domain/routing_words.h"
#include "db/db.h"
#include "domain/ticket_choices.h"
#include "domain/ticket_rules.h"
#include "tmpl/tval.h"

#include <string.h>

#define ROUTING_URL "/agent/admin/routing"

/*
 * The form. The word selects (channel … set_priority, in word_fields
 * order) and the id selects are checked against what was offered below.
 */
static const struct field_rule rule_rules[] = {
	{ "name", "Name", FIELD_TEXT, 1, 1, ROUTING_NAME_MAX, NULL },
	{ "if_language", "Language", FIELD_TEXT, 0, 1, ROUTING_LANGUAGE_TYPED_MAX, NULL },
	{ "if_keyword", "Keyword in the subject", FIELD_TEXT, 0, 1, ROUTING_KEYWORD_MAX, NULL },
	{ "set_tags", "Tags", FIELD_TEXT, 0, 1, ROUTING_TAGS_TYPED_MAX, NULL },
	{ "if_channel", "Channel", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_priority", "Priority", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_tier", "Tier", FIELD_TEXT, 0, 0, 0, NULL },
	{ "set_priority", "Set priority", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_category_id", "Category", FIELD_TEXT, 0, 0, 0, NULL },
	{ "set_queue_id", "Queue", FIELD_TEXT, 0, 0, 0, NULL },
	{ "set_team_id", "Team", FIELD_TEXT, 0, 0, 0, NULL },
	{ "active", "Active", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_type", "Type", FIELD_TEXT, 0, 0, 0, NULL },
	{ "if_site", "Words of the site", FIELD_TEXT, 0, 1, ROUTING_KEYWORD_MAX, NULL },
	{ "set_skill_level", "Skill level", FIELD_TEXT, 0, 0, 0, NULL },
};
enum { RF_NAME, RF_LANG, RF_KEYWORD, RF_TAGS, RF_WORDS, RF_CATEGORY = RF_WORDS + 4, RF_QUEUE,
	RF_TEAM, RF_ACTIVE, RF_TYPE, RF_SITE, RF_LEVEL, RF__MAX };
_Static_assert(sizeof(rule_rules) / sizeof(rule_rules[0]) == RF__MAX, "one rule per field");

/* Moving a rule: up or down. */
static const char *const directions[] = { "up", "down", NULL };
static const struct field_rule move_rules[] = {
	{ "direction", "Direction", FIELD_CHOICE, 1, 0, 0, directions },
};

/* The word selects: field, label of "any", the allowed words. */
static const struct {
	const char *field, *any;
	const char *const *words;
} word_fields[] = {
	{ "if_channel", "Any channel", ticket_channels },
	{ "if_priority", "Any priority", ticket_priorities },
	{ "if_tier", "Any tier", customer_tiers },
	{ "set_priority", "Leave as it is", ticket_priorities },
};
#define NWORDS (sizeof(word_fields) / sizeof(word_fields[0]))
_Static_assert(RF_CATEGORY - RF_WORDS == NWORDS, "a form field per word select");

/* Options of a word select, "" (any) first. */
static struct tval *
word_options(struct arena *a, const char *const *words, const char *any, const char *current)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL;
	size_t i;

	for (i = 0; !rc && (i == 0 || words[i - 1] != NULL); i++) {
		struct tval *o = tval_map(a);
		const char *v = i == 0 ? "" : words[i - 1];

		rc |= tval_set_str(a, o, "value", v) |
		    tval_set_str(a, o, "label", i == 0 ? any : v) |
		    tval_set_bool(a, o, "selected", strcmp(v, current) == 0) | tval_push(a, list, o);
	}
	return rc ? NULL : list;
}

/*
 * Options of an id select, 0 (none) first. A current id that is not among
 * the choices (a queue or category deactivated since the rule was made)
 * is offered too, named current_name, so that saving the rule keeps it.
 */
static struct tval *
id_options(struct arena *a, const struct db_option *c, size_t n, const char *none,
    long long current, const char *current_name)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL, found = 0;
	size_t i;

	for (i = 0; !rc && i <= n; i++) {
		struct tval *o = tval_map(a);
		int selected = i == 0 ? current <= 0 : c[i - 1].id == current;

		found |= i > 0 && selected;
		rc |= tval_set_str(a, o, "value", i == 0 ? "" : arena_printf(a, "%lld",
		    c[i - 1].id));
		rc |= tval_set_str(a, o, "label", i == 0 ? none : c[i - 1].name);
		rc |= tval_set_bool(a, o, "selected", selected);
		rc |= tval_push(a, list, o);
	}
	if (!rc && current > 0 && !found) {
		struct tval *o = tval_map(a);

		rc |= tval_set_str(a, o, "value", arena_printf(a, "%lld", current));
		rc |= tval_set_str(a, o, "label", arena_printf(a, "%s (inactive)", current_name));
		rc |= tval_set_bool(a, o, "selected", 1);
		rc |= tval_push(a, list, o);
	}
	return rc ? NULL : list;
}

/*
 * Options of the type select, "" (any) first. A type deactivated since the
 * rule was made is offered too, so that saving the rule keeps it.
 */
static struct tval *
type_options(struct arena *a, const struct ticket_choices *c, const char *current)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL, found = *current == '\0';
	size_t i;

	for (i = 0; !rc && i <= c->ntypes; i++) {
		struct tval *o = tval_map(a);
		const char *v = i == 0 ? "" : c->types[i - 1];

		found |= i > 0 && strcmp(v, current) == 0;
		rc |= tval_set_str(a, o, "value", v) |
		    tval_set_str(a, o, "label", i == 0 ? "Any type" : c->type_labels[i - 1]) |
		    tval_set_bool(a, o, "selected", strcmp(v, current) == 0) | tval_push(a, list, o);
	}
	if (!rc && !found) {
		struct tval *o = tval_map(a);

		rc |= tval_set_str(a, o, "value", current) |
		    tval_set_str(a, o, "label", arena_printf(a, "%s (inactive)", current)) |
		    tval_set_bool(a, o, "selected", 1) | tval_push(a, list, o);
	}
	return rc ? NULL : list;
}

/* Options of the skill level select: "" (the queue's) first, then 2 … 5. */
static struct tval *
level_options(struct arena *a, int current)
{
	struct tval *list = tval_list(a);
	int rc = list == NULL, l;

	for (l = 1; !rc && l <= 5; l++) {
		struct tval *o = tval_map(a);

		rc |= tval_set_str(a, o, "value", l == 1 ? "" : arena_printf(a, "%d", l)) |
		    tval_set_str(a, o, "label", l == 1 ? "The queue's level" :
		    arena_printf(a, "At least level %d", l)) |
		    tval_set_bool(a, o, "selected", l == 1 ? current == 0 : l == current) |
		    tval_push(a, list, o);
	}
	return rc ? NULL : list;
}

/* Whether word is among the n words. */
static int
word_listed(const char *const *words, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(words[i], word) == 0)
			return 1;
	return 0;
}

/* Whether id is among the n choices. */
static int
listed(const struct db_option *c, size_t n, long long id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].id == id)
			return 1;
	return 0;
}

/* What a rule does, in words, for the list. */
static const char *
summary(struct arena *a, const struct routing_rule *r, int actions)
{
	struct buf b;

	buf_init(&b, a);
	buf_addstr(&b, "");
#define PART(cond, ...) do { if (cond) { buf_printf(&b, "%s", b.len ? "; " : ""); \
	buf_printf(&b, __VA_ARGS__); } } while (0)
	if (!actions) {
		PART(r->if_category_id > 0, "category %s", r->category);
		PART(*r->if_type, "type %s", r->if_type);
		PART(*r->if_site, "site has “%s”", r->if_site);
		PART(*r->if_channel, "channel %s", r->if_channel);
		PART(*r->if_priority, "priority %s", r->if_priority);
		PART(*r->if_tier, "tier %s", r->if_tier);
		PART(*r->if_language, "language %s", r->if_language);
		PART(*r->if_keyword, "subject has “%s”", r->if_keyword);
		if (b.len == 0)
			buf_addstr(&b, "every ticket");
	} else {
		PART(r->set_queue_id > 0, "queue %s", r->queue);
		PART(r->set_team_id > 0, "team %s", r->team);
		PART(*r->set_priority, "priority %s", r->set_priority);
		PART(*r->set_tags, "tags %s", r->set_tags);
		PART(r->set_skill_level > 0, "skill level %d or more", r->set_skill_level);
	}
#undef PART
	return buf_failed(&b) ? NULL : b.buf;
}

int
console_admin_routing(struct app *app, struct req *r, struct resp *w)
{
	struct tval *ctx = app_page(app, r, "Routing rules"), *list;
	struct arena *a = r->arena;
	struct routing_rule *rows;
	size_t n, i;
	int rc = 0;

	if (ctx == NULL || (list = tval_list(a)) == NULL)
		return 500;
	if (routing_admin_list(&app->db, a, &rows, &n) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < n; i++) {
		struct tval *m = tval_map(a);

		rc |= tval_set_int(a, m, "id", rows[i].id);
		rc |= tval_set_int(a, m, "order", (long long)i + 1);
		rc |= tval_set_str(a, m, "name", rows[i].name);
		rc |= tval_set_bool(a, m, "active", rows[i].active);
		rc |= tval_set_str(a, m, "conditions", summary(a, &rows[i], 0));
		rc |= tval_set_str(a, m, "actions", summary(a, &rows[i], 1));
		rc |= tval_set_bool(a, m, "first", i == 0);
		rc |= tval_set_bool(a, m, "last", i + 1 == n);
		rc |= tval_push(a, list, m);
	}
	rc |= tval_set(a, ctx, "rules", list);
	if (rc)
		return 500;
	return app_render(app, r, w, "console/admin/routing", ctx);
}

/* The selects and boxes of the rule in st->extra (as stored, new, or as posted). */
static int
rule_fill(struct app *app, struct req *r, struct admin_form_state *st, struct tval *ctx)
{
	const struct routing_rule *rule = st->extra;
	struct arena *a = r->arena;
	struct ticket_choices c;
	const char *current[NWORDS] = { rule->if_channel, rule->if_priority, rule->if_tier,
		rule->set_priority };
	size_t i;
	int rc = 0;

	if (ticket_choices_get(&app->db, a, &c) != CS_OK)
		return web_db_error(app);
	for (i = 0; i < NWORDS; i++)
		rc |= tval_set(a, ctx, arena_printf(a, "%s_options", word_fields[i].field),
		    word_options(a, word_fields[i].words, word_fields[i].any, current[i]));
	rc |= tval_set(a, ctx, "category_options", id_options(a, c.categories, c.ncategories,
	    "Any category", rule->if_category_id, rule->category));
	rc |= tval_set(a, ctx, "if_type_options", type_options(a, &c, rule->if_type));
	rc |= tval_set(a, ctx, "skill_level_options", level_options(a, rule->set_skill_level));
	rc |= tval_set(a, ctx, "queue_options", id_options(a, c.queues, c.nqueues,
	    "Leave as it is", rule->set_queue_id, rule->queue));
	rc |= tval_set(a, ctx, "team_options", id_options(a, c.teams, c.nteams,
	    "The queue's team (or leave as it is)", rule->set_team_id, rule->team));
	rc |= tval_set_int(a, ctx, "id", rule->id);
	rc |= tval_set_bool(a, ctx, "active", rule->active);
	return rc ? 500 : 0;
}

/* A rule of st's in the arena, as its extra; NULL when out of memory. */
static struct routing_rule *
rule_of(struct req *r, struct admin_form_state *st)
{
	struct routing_rule *rule = arena_zalloc(r->arena, sizeof(*rule));

	st->extra = rule;
	if (rule == NULL)
		st->f.failed = 1;
	return rule;
}

/* Fills the form from a stored rule. */
static void
rule_values(struct field_form *f, const struct routing_rule *rule)
{
	fields_value(f, "name", rule->name);
	fields_value(f, "if_language", rule->if_language);
	fields_value(f, "if_keyword", rule->if_keyword);
	fields_value(f, "if_site", rule->if_site);
	fields_value(f, "set_tags", rule->set_tags);
}

static int
rule_defaults(struct app *app, struct req *r, struct admin_form_state *st)
{
	struct routing_rule *rule = rule_of(r, st);

	(void)app;
	if (rule == NULL)
		return -1;
	rule->name = rule->if_channel = rule->if_priority = rule->if_tier = "";
	rule->if_language = rule->if_keyword = rule->set_priority = rule->set_tags = "";
	rule->if_type = rule->if_site = "";
	rule->active = 1;
	rule_values(&st->f, rule);
	return 0;
}

static enum cs_result
rule_load(struct app *app, struct req *r, struct admin_form_state *st)
{
	struct routing_rule *rule = rule_of(r, st);
	enum cs_result rc;

	if (rule == NULL)
		return CS_FAILED;
	if ((rc = routing_admin_get(&app->db, r->arena, st->id, rule)) == CS_OK)
		rule_values(&st->f, rule);
	return rc;
}

/* An id select's value: 0 for none, the id, or -1 when not an id. */
static long long
posted_id(const char *v)
{
	if (*v == '\0')
		return 0;
	return web_id(v) > 0 ? web_id(v) : -1;
}

/*
 * Reads and checks the posted rule (v, as fields_check gave it) into
 * rule; messages go to f. stored is the rule as saved (NULL for a new
 * one): the ids it already has are kept even when no longer offered.
 */
static enum cs_result
rule_posted(struct app *app, struct req *r, struct field_form *f, const char *const *v,
    struct routing_rule *rule, const struct routing_rule *stored)
{
	const char *words[NWORDS];
	struct ticket_choices c;
	enum cs_result rc;
	size_t i;

	rule->name = v[RF_NAME];
	rule->if_keyword = v[RF_KEYWORD];
	rule->if_language = v[RF_LANG];
	if (*v[RF_LANG] && !routing_words_language(v[RF_LANG]))
		fields_error(f, "if_language", "Language must be a code like en or en-GB.");
	rule->set_tags = routing_words_tags(r->arena, v[RF_TAGS]);
	if (rule->set_tags == NULL) {
		rule->set_tags = "";
		fields_error(f, "set_tags", "Tags are up to 10 words of letters, digits, - and _, "
		    "separated by commas.");
	}
	for (i = 0; i < NWORDS; i++) {
		words[i] = v[RF_WORDS + i];
		if (*words[i] && !ticket_word_valid(word_fields[i].words, words[i])) {
			fields_error(f, word_fields[i].field, "Choose one of the listed values.");
			words[i] = "";
		}
	}
	rule->if_channel = words[0];
	rule->if_priority = words[1];
	rule->if_tier = words[2];
	rule->set_priority = words[3];
	rule->active = strcmp(v[RF_ACTIVE], "1") == 0;
	if ((rc = ticket_choices_get(&app->db, r->arena, &c)) != CS_OK)
		return rc;
	rule->if_site = v[RF_SITE];
	rule->set_skill_level = 0;
	if (*v[RF_LEVEL] != '\0' && ((rule->set_skill_level = (int)web_id(v[RF_LEVEL])) < 2 ||
	    rule->set_skill_level > 5)) {
		fields_error(f, "set_skill_level", "Choose a level from the list.");
		rule->set_skill_level = 0;
	}
	rule->if_type = v[RF_TYPE];
	if (*rule->if_type && !word_listed(c.types, c.ntypes, rule->if_type) &&
	    (stored == NULL || strcmp(stored->if_type, rule->if_type) != 0)) {
		fields_error(f, "if_type", "Choose one of the listed types.");
		rule->if_type = "";
	}
	rule->if_category_id = posted_id(v[RF_CATEGORY]);
	rule->set_queue_id = posted_id(v[RF_QUEUE]);
	rule->set_team_id = posted_id(v[RF_TEAM]);
	rule->category = rule->queue = rule->team = "";
	if (stored != NULL) {
		if (rule->if_category_id == stored->if_category_id)
			rule->category = stored->category;
		if (rule->set_queue_id == stored->set_queue_id)
			rule->queue = stored->queue;
		if (rule->set_team_id == stored->set_team_id)
			rule->team = stored->team;
	}
	if (rule->if_category_id != 0 && !listed(c.categories, c.ncategories,
	    rule->if_category_id) && *rule->category == '\0') {
		fields_error(f, "if_category_id", "Choose one of the listed categories.");
		rule->if_category_id = 0;
	}
	if (rule->set_queue_id != 0 && !listed(c.queues, c.nqueues, rule->set_queue_id) &&
	    *rule->queue == '\0') {
		fields_error(f, "set_queue_id", "Choose one of the listed queues.");
		rule->set_queue_id = 0;
	}
	if (rule->set_team_id != 0 && !listed(c.teams, c.nteams, rule->set_team_id) &&
	    *rule->team == '\0') {
		fields_error(f, "set_team_id", "Choose one of the listed teams.");
		rule->set_team_id = 0;
	}
	if (f->nerrors == 0 && rule->set_queue_id == 0 && rule->set_team_id == 0 &&
	    *rule->set_priority == '\0' && *rule->set_tags == '\0' && rule->set_skill_level == 0)
		fields_error(f, "actions", "Give the rule at least one action: a queue, a team, a "
		    "priority or tags.");
	return f->failed ? CS_FAILED : CS_OK;
}

static enum cs_result
rule_save(struct app *app, struct req *r, struct admin_form_state *st, const char *const *v,
    const long long *nums, const struct audit_entry *by)
{
	struct routing_rule *rule = rule_of(r, st);
	const char *why;
	enum cs_result rc;

	(void)nums;
	if (rule == NULL)
		return CS_FAILED;
	if ((rc = rule_posted(app, r, &st->f, v, rule, st->stored)) != CS_OK)
		return rc;
	rule->id = st->id;
	st->name = rule->name;
	if (st->f.nerrors)
		return CS_REFUSED;
	rc = st->id == 0 ? routing_admin_create(&app->db, by, rule, &st->id, &why) :
	    routing_admin_update(&app->db, by, rule, &why);
	if (rc == CS_REFUSED)
		fields_error(&st->f, "actions", why);
	return rc;
}

static const struct admin_form rule_form = {
	.base = ROUTING_URL, .template = "console/admin/routing_edit",
	.title_new = "New routing rule", .title_edit = "Edit routing rule",
	.saved_before = "Changes to the rule “", .saved_after = "” were saved.",
	.made_before = "The rule “", .made_after = "” was added at the end.",
	.rules = rule_rules, .nrules = RF__MAX, .defaults = rule_defaults, .load = rule_load,
	.fill = rule_fill, .save = rule_save,
};

int
console_admin_rule_new_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_new(app, r, w, &rule_form);
}

int
console_admin_rule_edit_form(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_edit(app, r, w, &rule_form);
}

int
console_admin_rule_create(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_create(app, r, w, &rule_form);
}

int
console_admin_rule_update(struct app *app, struct req *r, struct resp *w)
{
	return admin_form_update(app, r, w, &rule_form);
}

int
console_admin_rule_delete(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	struct audit_entry by;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	web_audit_actor(r, &by);
	rc = routing_admin_delete(&app->db, &by, id);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	web_flash(app, r, w, "The rule was deleted.");
	resp_redirect(w, ROUTING_URL);
	return 0;
}

int
console_admin_rule_move(struct app *app, struct req *r, struct resp *w)
{
	long long id = web_path_id(r, "id");
	const char *dir;
	struct audit_entry by;
	struct field_form f;
	enum cs_result rc;

	if (id <= 0)
		return 404;
	if (fields_init(&f, r->arena) < 0)
		return 500;
	if (fields_check(&f, r, move_rules, 1, &dir, NULL) > 0)
		return 400;
	web_audit_actor(r, &by);
	rc = routing_admin_move(&app->db, &by, id, strcmp(dir, "up") == 0);
	if (rc != CS_OK)
		return rc == CS_NOT_FOUND ? 404 : web_db_error(app);
	resp_redirect(w, ROUTING_URL);
	return 0;
}
