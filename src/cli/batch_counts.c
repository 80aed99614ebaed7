/*
 * batch_counts.c — the `csdesk batch` step "counts": folds the ticket
 * count deltas that creations and changes appended into the base counts
 * (ticket_counts.h), so the console's counts read a few rows however
 * many tickets changed. `csdesk batch --loop` runs it with the event
 * steps too, so under a burst of new tickets the pending deltas stay a
 * few seconds' worth; readers are exact either way. The customer
 * panel's figures (customer_figures.h) are folded the same way.
 */
#include "cli/batch_steps.h"
#include "domain/customer_figures.h"
#include "domain/ticket_counts.h"

#include <stdio.h>

int
batch_step_counts(struct db *db, char *line, size_t size, long *work)
{
	long long folded, figures;

	if (ticket_counts_roll_up(db, &folded) != CS_OK ||
	    customer_figures_roll_up(db, &figures) != CS_OK)
		return -1;
	snprintf(line, size, "%lld deltas folded, %lld customer figures", folded, figures);
	*work = (long)(folded + figures);
	return 0;
}
