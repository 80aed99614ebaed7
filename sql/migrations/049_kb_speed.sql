-- 049_kb_speed.sql — what a help-centre search keeps between requests
-- (docs/architecture.md, "KB search").
--
-- kb_state.categories moves when a knowledge-base category is added,
-- changed or removed (a trigger in sql/functions/290_kb_speed.sql): the
-- portal's workers keep the category list the search page offers and
-- compare this number, which the search statement returns, instead of
-- reading the list for every search.
ALTER TABLE kb_state ADD COLUMN categories bigint NOT NULL DEFAULT 1;
