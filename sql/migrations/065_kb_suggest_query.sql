-- 065_kb_suggest_query.sql — a ticket's KB suggestions keep the query
-- they were found for (its subject as a search by any word), so a ticket
-- whose subject makes the same query, opened while the knowledge base is
-- as it was (kb_state.version), takes that list instead of searching
-- again (kb_ticket_suggest, sql/functions/440_kb_suggest.sql). Lists found
-- before this, or by a page or `csdesk gen`, have none and are never
-- taken. The index holds only the lists that have one.
ALTER TABLE kb_ticket_suggestions ADD COLUMN query text;
CREATE INDEX kb_ticket_suggestions_query ON kb_ticket_suggestions (query, kb_version)
	WHERE query IS NOT NULL;
