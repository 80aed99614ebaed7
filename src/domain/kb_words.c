/* kb_words.c — see kb_words.h. */
#include "domain/kb_words.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "domain/kb_query.h"

#include <stdlib.h>
#include <string.h>

/*
 * A list bigger than this is not kept, so that a worker stays small (about
 * 60 bytes a word): corrections are then made by kb_correct in SQL, inside
 * the search statement (kb_search_page).
 */
#define KB_WORDS_KEPT 30000	/* the statement reads one more */

#define STATE_COLS(X) X(KS, words, "words")
enum { DB_COL_ENUM(STATE_COLS) };
#define WORD_COLS(X) X(KW, word, "word")
enum { DB_COL_ENUM(WORD_COLS) };

enum stmt {
	ST_STATE,
	ST_WORDS,
	ST__MAX
};

static struct db_stmt stmts[] = {
	[ST_STATE] = DB_STMT("kb_words_state", "SELECT " DB_COLS(STATE_COLS) " FROM kb_state", 0),
	[ST_WORDS] = DB_STMT("kb_words_list", "SELECT " DB_COLS(WORD_COLS) " FROM kb_words"
	    " LIMIT 30001", 0),
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__MAX, "a statement per enum");

struct word {
	const char *w;
	unsigned *trgm;		/* ntrgm of them */
	int ntrgm;
};

/* The list as this worker last read it. */
static struct {
	struct arena *arena;	/* NULL: nothing kept */
	long long version;	/* kb_state.words when read */
	struct word *words;	/* sorted by w (byte order) */
	size_t n;
	int too_many;		/* more than KB_WORDS_KEPT: ask SQL */
} kept;

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(((const struct word *)a)->w, ((const struct word *)b)->w);
}

static void
forget(void)
{
	arena_free(kept.arena);
	memset(&kept, 0, sizeof(kept));
}

/* Reads the list when it is not kept or has grown since. */
static enum cs_result
fresh_list(struct db *db)
{
	PGresult *res;
	long long version;
	size_t i, n;
	int failed = 0;

	if ((res = db_exec(db, &stmts[ST_STATE], NULL)) == NULL)
		return db_result(db);
	version = PQntuples(res) > 0 ? db_ll(res, 0, KS_words) : 0;
	PQclear(res);
	if (kept.arena != NULL && kept.version == version)
		return CS_OK;
	forget();
	if ((res = db_exec(db, &stmts[ST_WORDS], NULL)) == NULL)
		return db_result(db);
	n = (size_t)PQntuples(res);
	if ((kept.arena = arena_new(64 * 1024)) == NULL)
		failed = 1;
	else if (n > KB_WORDS_KEPT)
		kept.too_many = 1;
	else if (n > 0 && (kept.words = arena_calloc(kept.arena, n, sizeof(*kept.words))) == NULL)
		failed = 1;
	for (i = 0; !failed && !kept.too_many && i < n; i++) {
		struct word *w = &kept.words[i];
		unsigned t[KB_TRGM_MAX];

		w->w = db_str(kept.arena, res, (int)i, KW_word, &failed);
		if (failed)
			break;
		w->ntrgm = kb_query_trigrams(w->w, t);
		if ((w->trgm = arena_calloc(kept.arena, (size_t)w->ntrgm, sizeof(*t))) == NULL)
			failed = 1;
		else
			memcpy(w->trgm, t, (size_t)w->ntrgm * sizeof(*t));
	}
	PQclear(res);
	if (failed) {
		forget();
		return CS_FAILED;
	}
	kept.n = kept.too_many ? 0 : n;
	kept.version = version;
	if (kept.n > 0)
		qsort(kept.words, kept.n, sizeof(*kept.words), cmp_word);
	return CS_OK;
}

/* The SQL kb_correct's notion of a word to correct: letters only, >= 3 characters. */
static int
correctable(const char *t)
{
	size_t chars = 0;

	for (; *t != '\0'; t++) {
		unsigned char c = (unsigned char)*t;

		if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return 0;
		chars += (c & 0xc0) != 0x80;
	}
	return chars >= 3;
}

/* The kept word most like t (NULL: none at the threshold). */
static const char *
most_like(const char *t)
{
	unsigned tg[KB_TRGM_MAX];
	int nt = kb_query_trigrams(t, tg);
	const char *best = NULL;
	double best_sim = KB_WORDS_THRESHOLD;
	size_t i;

	for (i = 0; i < kept.n; i++) {
		const struct word *w = &kept.words[i];
		double sim;

		/* Shared trigrams can be at most the smaller count over the larger. */
		if (w->ntrgm < nt * KB_WORDS_THRESHOLD || nt < w->ntrgm * KB_WORDS_THRESHOLD)
			continue;
		sim = kb_query_similarity(tg, nt, w->trgm, w->ntrgm);
		if (sim > best_sim || (best == NULL && sim >= best_sim))
			best = w->w, best_sim = sim;
	}
	return best;
}

/* A byte of a word: ASCII letters and digits, and any byte of a multibyte letter. */
static int
word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int
known(const char *t)
{
	struct word key = { .w = t };

	return bsearch(&key, kept.words, kept.n, sizeof(*kept.words), cmp_word) != NULL;
}

enum cs_result
kb_words_fix(struct db *db, struct arena *a, const char *q, const char **fixed, int *in_sql)
{
	char *low = arena_strdup(a, q), *p;
	int changed = 0;
	struct buf out;
	enum cs_result rc;

	*fixed = NULL;
	*in_sql = 0;
	if (low == NULL)
		return CS_FAILED;
	if (kept.arena == NULL && (rc = fresh_list(db)) != CS_OK)
		return rc;
	if (kept.too_many) {
		*in_sql = 1;
		return CS_OK;
	}
	/* Words are runs of letters and digits (bytes past ASCII count as
	 * letters), lower-cased as the list is, joined by one blank as
	 * string_agg(f, ' ') did. */
	buf_init(&out, a);
	for (p = low; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (p = low; *p != '\0';) {
		size_t n = 0;
		const char *f;
		char save;

		while (p[n] != '\0' && word_byte((unsigned char)p[n]))
			n++;
		if (n == 0) {
			p++;
			continue;
		}
		save = p[n];
		p[n] = '\0';
		f = p;
		if (correctable(p) && !known(p) && (f = most_like(p)) == NULL)
			f = p;
		changed |= f != p;
		if (out.len > 0)
			buf_addch(&out, ' ');
		buf_addstr(&out, f);
		p[n] = save;
		p += n;
	}
	if (buf_failed(&out))
		return CS_FAILED;
	*fixed = changed ? out.buf : NULL;
	return CS_OK;
}

int
kb_words_stale(long long version)
{
	return kept.arena == NULL || kept.version != version;
}

enum cs_result
kb_words_reload(struct db *db)
{
	forget();
	return fresh_list(db);
}
