/*
 * customer_figures.h — the console ticket page's customer figures (open
 * and total tickets, products with serials), kept per customer by the
 * tickets' triggers as rows that add up (customer_ticket_figures, 056;
 * sql/functions/350_ticket_page.sql) and read by the collaboration panel
 * (collab_panel.c). Creations only append rows, so concurrent creations
 * for one customer never wait for each other; the batch folds each
 * customer's rows into one per product and serial.
 */
#ifndef CSDESK_CUSTOMER_FIGURES_H
#define CSDESK_CUSTOMER_FIGURES_H

#include "core/result.h"

struct db;

/* Customers folded per call: each holds a lock to the end of the call. */
#define CUSTOMER_FIGURES_FOLD_MAX 500

/*
 * Folds the rows appended since the last run, for up to
 * CUSTOMER_FIGURES_FOLD_MAX customers; *folded the rows folded. CS_OK or
 * the failure.
 */
enum cs_result customer_figures_roll_up(struct db *db, long long *folded);

#endif
