/* ticket_filter.c — see ticket_filter.h. */
#include "domain/ticket_filter.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "domain/ticket_rules.h"

#include <ctype.h>
#include <string.h>

static const char *const sort_names[TL_SORT__MAX] = {
	[TL_SORT_UPDATE] = "update",
	[TL_SORT_PRIORITY] = "priority",
	[TL_SORT_AGE] = "age",
	[TL_SORT_SLA] = "sla",
};

static const char *const sla_states[] = { "on_track", "at_risk", "breached", "paused", NULL };

/* What a view's filters are refused with (the saved views page shows it). */
#define NOT_FILTERS "Those are not filters of the ticket list."

enum tl_sort
tl_sort_parse(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < TL_SORT__MAX; i++)
		if (strcmp(name, sort_names[i]) == 0)
			return (enum tl_sort)i;
	return TL_SORT__MAX;
}

const char *
tl_sort_name(enum tl_sort s)
{
	return s < TL_SORT__MAX ? sort_names[s] : "update";
}

int
tl_sla_valid(const char *name)
{
	return name != NULL && ticket_word_valid(sla_states, name);
}

int
tl_number_valid(const char *s)
{
	size_t i;

	if (strncmp(s, "TKT-", 4) != 0)
		return 0;
	for (i = 4; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return i > 4 && i <= 16;
}

const char *
tl_words_param(struct arena *a, const char *const *words, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_addch(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s\"%s\"", i ? "," : "", words[i]);
	buf_addch(&b, '}');
	return buf_failed(&b) ? NULL : b.buf;
}

/* "2026-01-31". */
static int
date_ok(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	return 1;
}

/* A cursor as list rows give them: digits, a time, a rank, "|", or
 * "infinity" (the SLA sort's tickets without a due time). */
static int
cursor_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 64)
		return 0;
	return strspn(s, "0123456789 :.+-|eE") == len || strcmp(s, "infinity") == 0;
}

static int
given(const char *s)
{
	return s != NULL && *s != '\0';
}

/* A status filter: none, "open" or a status name. */
static int
status_ok(const char *status)
{
	return !given(status) || strcmp(status, "open") == 0 ||
	    ticket_status_parse(status) != TS__MAX;
}

enum cs_result
tl_filter_check(const struct tl_filter *f, const char **why)
{
	const char *dates[4] = { f->created_from, f->created_to, f->updated_from,
		f->updated_to };
	int i;

	*why = NULL;
	if ((given(f->sla) && !tl_sla_valid(f->sla)) || (given(f->q) && utf8_chars(f->q) > TL_Q_MAX))
		*why = NOT_FILTERS;
	else if (!status_ok(f->status))
		*why = "Unknown status in the filters.";
	else if ((given(f->priority) && !ticket_word_valid(ticket_priorities, f->priority)) ||
	    (given(f->channel) && !ticket_word_valid(ticket_channels, f->channel)))
		*why = "Unknown priority or channel in the filters.";
	for (i = 0; *why == NULL && i < 4; i++)
		if (given(dates[i]) && !date_ok(dates[i]))
			*why = "Dates in the filters must look like 2026-01-31.";
	if (*why == NULL && f->after != NULL && (!cursor_ok(f->after) || f->after_id < 0))
		*why = "That page of the list is not there any more.";
	return *why != NULL ? CS_REFUSED : CS_OK;
}

