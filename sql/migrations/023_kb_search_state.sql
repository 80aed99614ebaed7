-- 023_kb_search_state.sql — what knowledge-base search keeps between
-- requests, and how it knows when that is out of date.
--
-- kb_state is one row of counters: version moves when published text or
-- an article's audience changes, words when the word list for corrections
-- grows (triggers in sql/functions/120_kb.sql). Workers keep the word list
-- in memory and compare words; a ticket's stored suggestions compare
-- version.
CREATE TABLE kb_state (
	one boolean PRIMARY KEY DEFAULT true CHECK (one),
	version bigint NOT NULL DEFAULT 1,
	words bigint NOT NULL DEFAULT 1
);
INSERT INTO kb_state DEFAULT VALUES;

-- The articles suggested for a ticket, best first, computed once for its
-- subject and category rather than by a search on every view of the ticket
-- page. A change of subject or category removes the row (a trigger); a
-- row made at an older kb_state.version is computed again.
CREATE TABLE kb_ticket_suggestions (
	ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
	kb_version bigint NOT NULL,
	article_ids bigint[] NOT NULL,
	computed_at timestamptz NOT NULL DEFAULT now()
);

-- A result's snippet is cut from the article's text without its Markdown
-- (link targets, emphasis, headings): made once when the text is saved,
-- not for every result shown. \1 and \2 are taken out: the snippet marks
-- matches with them.
ALTER TABLE kb_articles ADD COLUMN snippet_text text GENERATED ALWAYS AS (
	translate(regexp_replace(regexp_replace(summary || ' ' || body,
		'\]\([^)]*\)', ' ', 'g'), '[#*_`>|\[\]]+', ' ', 'g'), chr(1) || chr(2), '')) STORED;
