/* i18n.c — see i18n.h. */
#include "web/i18n.h"
#include "core/arena.h"
#include "tmpl/tval.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#define EXT ".strings"

/* Read once, before the workers fork; read-only afterwards. */
static struct {
	struct arena *arena;
	const char *codes[I18N_LANGS_MAX + 1];
	struct tval *maps[I18N_LANGS_MAX];
	size_t n;
} cat;

static int
fail(char *err, size_t errlen, const char *what, const char *file)
{
	snprintf(err, errlen, "%s%s%s", file ? file : "", file ? ": " : "", what);
	return -1;
}

/* Whether a catalogue line holds a key (not a comment nor blank). */
static int
is_key_line(const char *line)
{
	return line[0] != '#' && line[0] != '\0' && line[0] != '\n' && line[0] != '\r';
}

/*
 * The lines of path as a map, or NULL with err. The keys are counted
 * first so the map is made at its size: grown a key at a time, the
 * English catalogue left every smaller array and index behind in the
 * arena, which every worker inherits (200 KB of its 600).
 */
static struct tval *
read_file(const char *path, const char *name, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	struct tval *map = NULL;
	size_t keys = 0;
	int rc = 0;

	if (f == NULL)
		return fail(err, errlen, "cannot be read", name), NULL;
	while (fgets(line, sizeof(line), f) != NULL)
		keys += is_key_line(line);
	if (keys > I18N_KEYS_MAX)
		rc = fail(err, errlen, "too many keys", name);
	else if ((map = tval_map_sized(cat.arena, keys)) == NULL)
		rc = fail(err, errlen, "out of memory", name);
	rewind(f);
	keys = 0;
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		char *eq, *end = line + strcspn(line, "\r\n");
		size_t klen;

		*end = '\0';
		if (!is_key_line(line))
			continue;
		if ((eq = strstr(line, " = ")) == NULL || eq == line) {
			rc = fail(err, errlen, "a line without \" = \"", name);
			break;
		}
		klen = (size_t)(eq - line);
		if (++keys > I18N_KEYS_MAX)
			rc = fail(err, errlen, "too many keys", name);
		else if (tval_set(cat.arena, map, arena_strndup(cat.arena, line, klen),
		    tval_strdup(cat.arena, eq + 3)) < 0)
			rc = fail(err, errlen, "out of memory", name);
	}
	fclose(f);
	/* Pages look keys up by the hundred: the map is indexed (tval.h), so
	 * each is a probe or two, not a scan of thousands. */
	return rc == 0 ? map : NULL;
}

/* The length of the {placeholder} at p (its braces included), or 0. */
static size_t
placeholder(const char *p)
{
	size_t n = 1;

	if (*p != '{')
		return 0;
	while (p[n] == '_' || p[n] == '.' || (p[n] >= 'a' && p[n] <= 'z') ||
	    (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9'))
		n++;
	return n > 1 && p[n] == '}' ? n + 1 : 0;
}

/* The first {placeholder} of a that b does not have, into *name; 0 when none. */
static size_t
lacks_placeholder(const char *a, const char *b, const char **name)
{
	const char *p, *q;
	size_t n;

	for (p = a; (p = strchr(p, '{')) != NULL; p += n > 0 ? n : 1) {
		if ((n = placeholder(p)) == 0)
			continue;
		for (q = strchr(b, '{'); q != NULL; q = strchr(q + 1, '{'))
			if (strncmp(q, p, n) == 0)
				break;
		if (q == NULL) {
			*name = p;
			return n;
		}
	}
	return 0;
}

/*
 * Whether map has every key of English, each with the same {placeholders}
 * (a translation that drops or invents one would show a value wrong or
 * not at all); what is wrong into err.
 */
static int
complete(const char *code, const struct tval *map, char *err, size_t errlen)
{
	const struct tval *en = cat.maps[0];
	size_t i, n;

	for (i = 0; i < en->u.map.n; i++) {
		const char *key = en->u.map.pairs[i].key, *name;
		const struct tval *t = tval_get(map, key), *e = en->u.map.pairs[i].val;

		if (t == NULL) {
			snprintf(err, errlen, "%s.strings lacks \"%s\"", code, key);
			return 0;
		}
		if ((n = lacks_placeholder(e->u.str.s, t->u.str.s, &name)) > 0) {
			snprintf(err, errlen, "%s.strings: \"%s\" lacks %.*s", code, key, (int)n,
			    name);
			return 0;
		}
		if ((n = lacks_placeholder(t->u.str.s, e->u.str.s, &name)) > 0) {
			snprintf(err, errlen, "%s.strings: \"%s\" has %.*s, which English has not",
			    code, key, (int)n, name);
			return 0;
		}
	}
	return 1;
}

int
i18n_load(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	struct dirent *e;
	DIR *d;
	size_t i;
	int rc = 0;

	if (cat.arena == NULL && (cat.arena = arena_new(16384)) == NULL)
		return fail(err, errlen, "out of memory", NULL);
	snprintf(path, sizeof(path), "%s/en" EXT, dir);
	cat.codes[0] = "en";
	if ((cat.maps[0] = read_file(path, "en" EXT, err, errlen)) == NULL)
		return -1;
	cat.n = 1;
	if ((d = opendir(dir)) == NULL)
		return fail(err, errlen, "cannot be read", dir);
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= strlen(EXT) || strcmp(e->d_name + len - strlen(EXT), EXT) != 0 ||
		    strcmp(e->d_name, "en" EXT) == 0)
			continue;
		if (cat.n == I18N_LANGS_MAX) {
			rc = fail(err, errlen, "too many catalogues", dir);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		cat.codes[cat.n] = arena_strndup(cat.arena, e->d_name, len - strlen(EXT));
		if (cat.codes[cat.n] == NULL)
			rc = fail(err, errlen, "out of memory", NULL);
		else if ((cat.maps[cat.n] = read_file(path, e->d_name, err, errlen)) == NULL)
			rc = -1;
		if (rc == 0)
			cat.n++;
	}
	closedir(d);
	/* Half a language is worse than English: a catalogue has every key. */
	for (i = 1; rc == 0 && i < cat.n; i++)
		if (!complete(cat.codes[i], cat.maps[i], err, errlen))
			rc = -1;
	cat.codes[cat.n] = NULL;
	return rc;
}

const char *const *
i18n_languages(void)
{
	static const char *const none[] = { "en", NULL };

	return cat.n > 0 ? cat.codes : none;
}

struct tval *
i18n_catalogue(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < cat.n; i++)
		if (strcmp(cat.codes[i], code) == 0)
			return cat.maps[i];
	return cat.n > 0 ? cat.maps[0] : NULL;
}

const char *
i18n_text(const char *code, const char *key)
{
	struct tval *m = i18n_catalogue(code), *v;

	if (m == NULL || (v = tval_get(m, key)) == NULL || v->type != TVAL_STR)
		return NULL;
	return v->u.str.s;
}
