-- 016_foreign_key_indexes.sql — an index behind every foreign key that a
-- delete follows into a large table.
--
-- Deleting a row that others reference makes PostgreSQL find the rows that
-- point at it (to cascade, set NULL or refuse); without an index on the
-- referencing column that is a scan of the whole referencing table, once
-- per deleted row. These were missing (no index led with the column):
--   ticket_attachments.comment_id       a comment deleted (cascade)
--   ticket_response_targets.comment_id  a comment deleted (cascade)
--   ticket_response_targets.ticket_id   a ticket deleted (cascade): only
--                                       the open targets were indexed
--   kb_article_tickets.ticket_id        a ticket deleted (cascade): the
--                                       key leads with article_id
--   kb_searches.ticket_id               a ticket deleted (set NULL)
--   tickets.category_id                 a category deleted (refused while
--                                       used: the check read every ticket)
--   tickets.product_id                  a product deleted (likewise)
-- Where most rows hold NULL (attachments of the opening message, tickets
-- without a product or category, searches that led to no ticket) the index
-- holds only the others: a NULL never matches a deleted row.
--
-- Cost at a million tickets: each index on tickets is built in about a
-- second, holding off writes to the table meanwhile (CREATE INDEX inside
-- the migration's transaction; CONCURRENTLY cannot run in one).
CREATE INDEX ticket_attachments_comment ON ticket_attachments (comment_id)
	WHERE comment_id IS NOT NULL;
CREATE INDEX ticket_response_targets_comment ON ticket_response_targets (comment_id)
	WHERE comment_id IS NOT NULL;
CREATE INDEX ticket_response_targets_ticket ON ticket_response_targets (ticket_id);
CREATE INDEX kb_article_tickets_ticket ON kb_article_tickets (ticket_id);
CREATE INDEX kb_searches_ticket ON kb_searches (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX tickets_category ON tickets (category_id) WHERE category_id IS NOT NULL;
CREATE INDEX tickets_product ON tickets (product_id) WHERE product_id IS NOT NULL;
