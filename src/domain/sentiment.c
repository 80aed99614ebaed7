/* sentiment.c — see sentiment.h. */
#include "domain/sentiment.h"

#include <stdlib.h>
#include <string.h>

struct entry {
	const char *word;
	int score;
};

/* Sorted in byte order (scripts/gen-afinn.sh), for bsearch. */
static const struct entry lexicon[] = {
#include "domain/sentiment_afinn.inc"
};

#define NLEXICON (sizeof(lexicon) / sizeof(lexicon[0]))

/* Longest word or phrase looked up, in bytes; longer ones are in no list. */
#define PHRASE_MAX 64
/* The longest phrases of the list have three words. */
#define PHRASE_WORDS 3
#define WORDS_MAX 4000

static const char *const negations[] = {
	"not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt",
	"isn't", "isnt", "wasn't", "wasnt", "aren't", "arent", "weren't", "werent",
	"can't", "cant", "cannot", "couldn't", "couldnt", "won't", "wont", "wouldn't",
	"wouldnt", "hardly", "without", "nothing", "nobody", "neither", "nor",
};

struct word {
	char s[PHRASE_MAX];
	size_t len;
};

static int
compare(const void *key, const void *elem)
{
	return strcmp(key, ((const struct entry *)elem)->word);
}

static const struct entry *
lookup(const char *s)
{
	return bsearch(s, lexicon, NLEXICON, sizeof(lexicon[0]), compare);
}

static int
negation(const struct word *w)
{
	size_t i;

	for (i = 0; i < sizeof(negations) / sizeof(negations[0]); i++)
		if (strcmp(w->s, negations[i]) == 0)
			return 1;
	return 0;
}

/* A byte that belongs in a word: a letter, a digit, ' or -, or part of a UTF-8 character. */
static int
word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '\'' || c == '-' || c >= 0x80;
}

/*
 * The next word of *p, lower-cased, into w (a right single quotation mark
 * becomes '); 0 at the end of the text. A word too long for any entry is
 * kept cut short: it then matches nothing, as it should.
 */
static int
next_word(const char **p, struct word *w)
{
	const unsigned char *s = (const unsigned char *)*p;

	while (*s != '\0' && !word_byte(*s))
		s++;
	w->len = 0;
	while (*s != '\0' && word_byte(*s)) {
		unsigned char c = *s++;

		if (c == 0xe2 && s[0] == 0x80 && s[1] == 0x99) {
			c = '\'';
			s += 2;
		} else if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c - 'A' + 'a');
		}
		if (w->len + 1 < sizeof(w->s))
			w->s[w->len++] = (char)c;
	}
	while (w->len > 0 && (w->s[w->len - 1] == '\'' || w->s[w->len - 1] == '-'))
		w->len--;
	w->s[w->len] = '\0';
	*p = (const char *)s;
	return w->len > 0 || *s != '\0';
}

/* The score of the phrase of the n words at w (joined by spaces), or 0 with *found unset. */
static int
phrase(const struct word *w, size_t n, int *found)
{
	char s[PHRASE_MAX * PHRASE_WORDS];
	const struct entry *e;
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (len + w[i].len + 2 > sizeof(s))
			return 0;
		if (i > 0)
			s[len++] = ' ';
		memcpy(s + len, w[i].s, w[i].len);
		len += w[i].len;
	}
	s[len] = '\0';
	if ((e = lookup(s)) == NULL)
		return 0;
	*found = 1;
	return e->score;
}

int
sentiment_score(const char *text)
{
	/* A window: the two words before (for negations) and up to three from here. */
	struct word w[2 + PHRASE_WORDS];
	const char *p = text;
	size_t have = 0, count = 0, i;
	int sum = 0, more = 1;

	if (text == NULL)
		return 0;
	memset(w, 0, sizeof(w));
	/* Fill w[2..4] with the first words; w[0..1] are the two before. */
	while (have < PHRASE_WORDS && more) {
		more = next_word(&p, &w[2 + have]);
		if (w[2 + have].len > 0)
			have++;
	}
	while (have > 0 && count < WORDS_MAX) {
		size_t used = 1, n;
		int found = 0, s = 0;

		for (n = have; n >= 1 && !found; n--) {
			s = phrase(&w[2], n, &found);
			if (found)
				used = n;
		}
		if (found) {
			/* A negation before a one-word hit turns it round ("not good"). */
			if (used == 1 && (negation(&w[1]) || negation(&w[0])))
				s = -s;
			sum += s;
		}
		for (i = 0; i < used; i++) {
			memmove(&w[0], &w[1], sizeof(w[0]) * (2 + PHRASE_WORDS - 1));
			w[2 + PHRASE_WORDS - 1].len = 0;
			w[2 + PHRASE_WORDS - 1].s[0] = '\0';
			have--;
			count++;
		}
		while (have < PHRASE_WORDS && more) {
			more = next_word(&p, &w[2 + have]);
			if (w[2 + have].len > 0)
				have++;
		}
	}
	return sum;
}

enum sentiment
sentiment_of(const char *text)
{
	int s = sentiment_score(text);

	return s > 0 ? SENTIMENT_POSITIVE : s < 0 ? SENTIMENT_NEGATIVE : SENTIMENT_NEUTRAL;
}

const char *
sentiment_name(enum sentiment s)
{
	static const char *const names[SENTIMENT__MAX] = {
		[SENTIMENT_NEUTRAL] = "neutral",
		[SENTIMENT_POSITIVE] = "positive",
		[SENTIMENT_NEGATIVE] = "negative",
	};

	return s < SENTIMENT__MAX ? names[s] : "neutral";
}
