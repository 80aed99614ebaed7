-- 049_kb_speed.sql — what a help-centre search keeps between requests
-- (docs/architecture.md, "KB search").
--
-- kb_state.categories moves when a knowledge-base category is added,
-- changed or removed (a trigger in sql/functions/290_kb_speed.sql): the
-- portal's workers keep the category list the search page offers and
-- compare this number, which the search statement returns, instead of
-- reading the list for every search.
ALTER TABLE kb_state ADD COLUMN categories bigint NOT NULL DEFAULT 1;

-- A result's snippet marks the words that match the query. The word list
-- for corrections (kb_words: every word of published text) keeps each
-- word's English stem: a search asks it once for the forms of the query's
-- words (reset: reset, resets, resetting) and the worker marks those in
-- the snippets, instead of PostgreSQL parsing and stemming the text of
-- every result shown (ts_headline). A stop word has no stem (NULL).
ALTER TABLE kb_words ADD COLUMN lexeme text
	GENERATED ALWAYS AS ((tsvector_to_array(to_tsvector('english'::regconfig, word)))[1]) STORED;
CREATE INDEX kb_words_lexeme ON kb_words (lexeme);
