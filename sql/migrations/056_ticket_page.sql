-- 056_ticket_page.sql — the console ticket page's customer panel reads
-- figures kept as tickets change instead of counting the customer's
-- latest thousand tickets on every view (~280 µs of the page's backend
-- time at a million tickets).
--
-- customer_ticket_figures holds, per customer, rows that add up to the
-- panel's figures: how many tickets and how many of them open, and per
-- product and serial how many tickets and the latest creation. A ticket's
-- creation or status change APPENDS a row (triggers in
-- sql/functions/350_ticket_page.sql): no creation updates a row another
-- creation for the same customer writes, so concurrent creations never
-- wait for each other here. A ticket leaving a product and serial group
-- (deleted, moved to another customer, product or serial changed) has
-- its group counted again from the tickets, since a latest creation
-- cannot be taken back by a delta. The batch's counts step folds each
-- customer's rows into one per group. Readers sum the rows: exact at every
-- moment, folded or not.
CREATE TABLE customer_ticket_figures (
	customer_id bigint NOT NULL,
	product_id bigint,          -- NULL: a row of the counts only
	serial text,
	open integer NOT NULL,
	total integer NOT NULL,
	latest timestamptz,         -- the group's latest creation (max over rows)
	pending boolean NOT NULL DEFAULT true  -- appended since the last fold
);
CREATE INDEX customer_ticket_figures_customer ON customer_ticket_figures (customer_id);
-- The customers the fold has work for.
CREATE INDEX customer_ticket_figures_pending ON customer_ticket_figures (customer_id)
	WHERE pending;

-- The figures of the tickets there are: one row per customer, product
-- and serial, a customer's rows together (the panel reads them all; the
-- fold keeps them together too).
INSERT INTO customer_ticket_figures (customer_id, product_id, serial, open, total, latest,
	pending)
SELECT customer_id, product_id, CASE WHEN product_id IS NOT NULL THEN serial END,
	count(*) FILTER (WHERE status NOT IN ('resolved', 'closed', 'cancelled')), count(*),
	CASE WHEN product_id IS NOT NULL THEN max(created_at) END, false
FROM tickets GROUP BY 1, 2, 3 ORDER BY 1;
