-- 120_kb.sql — the knowledge base: category tree, search configuration,
-- revisions, the word list for corrections, ratings, and the SECURITY DEFINER
-- doors the portal writes through.

-- A move may not put a category under itself or one of its descendants.
CREATE OR REPLACE FUNCTION kb_categories_no_cycle() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.parent_id IS NOT NULL AND EXISTS (
		WITH RECURSIVE up (id) AS (
			SELECT NEW.parent_id
			UNION
			SELECT c.parent_id FROM kb_categories c JOIN up ON c.id = up.id
			WHERE c.parent_id IS NOT NULL)
		SELECT 1 FROM up WHERE id = NEW.id) THEN
		RAISE EXCEPTION 'a category cannot move under itself' USING ERRCODE = '23514';
	END IF;
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER kb_categories_no_cycle BEFORE UPDATE OF parent_id ON kb_categories
	FOR EACH ROW EXECUTE FUNCTION kb_categories_no_cycle();

-- The text search configuration for an article's language (stemming).
CREATE OR REPLACE FUNCTION kb_ts_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE split_part(language, '-', 1)
		WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
		WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch' WHEN 'pt' THEN 'portuguese'
		ELSE 'english' END::regconfig
$$;

-- Bumps revision (any recorded change) and content_version (the text a
-- translation follows), and stamps updated_at.
CREATE OR REPLACE FUNCTION kb_articles_before() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		IF (NEW.title, NEW.summary, NEW.body) IS DISTINCT FROM
			(OLD.title, OLD.summary, OLD.body) THEN
			NEW.content_version := OLD.content_version + 1;
		END IF;
		IF (NEW.title, NEW.summary, NEW.body, NEW.tags, NEW.product_ids, NEW.category_id,
			NEW.type, NEW.status, NEW.visibility, NEW.slug) IS DISTINCT FROM
			(OLD.title, OLD.summary, OLD.body, OLD.tags, OLD.product_ids, OLD.category_id,
			OLD.type, OLD.status, OLD.visibility, OLD.slug) THEN
			NEW.revision := OLD.revision + 1;
			NEW.updated_at := now();
		END IF;
	END IF;
	IF NEW.status = 'published' AND NEW.published_at IS NULL THEN
		NEW.published_at := now();
	END IF;
	RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER kb_articles_before BEFORE INSERT OR UPDATE ON kb_articles
	FOR EACH ROW EXECUTE FUNCTION kb_articles_before();

CREATE OR REPLACE FUNCTION kb_articles_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	ch text[] := '{}';
BEGIN
	IF TG_OP = 'UPDATE' THEN
		IF NEW.title IS DISTINCT FROM OLD.title THEN ch := array_append(ch, 'title'); END IF;
		IF NEW.summary IS DISTINCT FROM OLD.summary THEN ch := array_append(ch, 'summary'); END IF;
		IF NEW.body IS DISTINCT FROM OLD.body THEN ch := array_append(ch, 'body'); END IF;
		IF NEW.tags IS DISTINCT FROM OLD.tags THEN ch := array_append(ch, 'tags'); END IF;
		IF NEW.product_ids IS DISTINCT FROM OLD.product_ids THEN
			ch := array_append(ch, 'products'); END IF;
		IF NEW.category_id IS DISTINCT FROM OLD.category_id THEN
			ch := array_append(ch, 'category'); END IF;
		IF NEW.type IS DISTINCT FROM OLD.type THEN ch := array_append(ch, 'type'); END IF;
		IF NEW.status IS DISTINCT FROM OLD.status THEN ch := array_append(ch, 'status'); END IF;
		IF NEW.visibility IS DISTINCT FROM OLD.visibility THEN
			ch := array_append(ch, 'visibility'); END IF;
		IF NEW.slug IS DISTINCT FROM OLD.slug THEN ch := array_append(ch, 'slug'); END IF;
	ELSE
		ch := ARRAY['created'];
	END IF;
	INSERT INTO kb_revisions (article_id, revision, staff_id, changed, category_id, type,
		status, visibility, title, summary, body, tags, product_ids)
	VALUES (NEW.id, NEW.revision, NEW.updated_by, ch, NEW.category_id, NEW.type, NEW.status,
		NEW.visibility, NEW.title, NEW.summary, NEW.body, NEW.tags, NEW.product_ids);
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kb_articles_revision_ins AFTER INSERT ON kb_articles
	FOR EACH ROW EXECUTE FUNCTION kb_articles_revision();

CREATE OR REPLACE TRIGGER kb_articles_revision_upd AFTER UPDATE ON kb_articles
	FOR EACH ROW WHEN (NEW.revision <> OLD.revision) EXECUTE FUNCTION kb_articles_revision();

-- Collects the words of newly published text: once per statement for
-- inserts, so a bulk load does one insert rather than one per article;
-- per row for edits, and only when the text or its audience changed (not
-- for counters).
CREATE OR REPLACE FUNCTION kb_words_of(title text, summary text, body text, tags text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(w), '{}') FROM unnest(tsvector_to_array(to_tsvector('simple',
		title || ' ' || summary || ' ' || body || ' ' || array_to_string(tags, ' ')))) AS w
	WHERE w ~ '^[[:alpha:]]{3,30}$'
$$;

CREATE OR REPLACE FUNCTION kb_articles_words_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kb_words (word)
	SELECT DISTINCT w FROM fresh a, unnest(kb_words_of(a.title, a.summary, a.body, a.tags)) w
	WHERE a.status = 'published' AND a.visibility <> 'internal'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kb_articles_words_ins AFTER INSERT ON kb_articles
	REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_words_ins();

CREATE OR REPLACE FUNCTION kb_articles_words_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kb_words (word)
	SELECT DISTINCT w FROM unnest(kb_words_of(NEW.title, NEW.summary, NEW.body, NEW.tags)) w
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kb_articles_words_upd AFTER UPDATE ON kb_articles
	FOR EACH ROW WHEN (NEW.status = 'published' AND NEW.visibility <> 'internal'
		AND NEW.revision <> OLD.revision)
	EXECUTE FUNCTION kb_articles_words_upd();

CREATE OR REPLACE FUNCTION kb_ratings_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
		UPDATE kb_articles SET
			helpful_yes = helpful_yes - (OLD.helpful IS TRUE)::int,
			helpful_no = helpful_no - (OLD.helpful IS FALSE)::int,
			stars_sum = stars_sum - coalesce(OLD.stars, 0),
			stars_count = stars_count - (OLD.stars IS NOT NULL)::int
		WHERE id = OLD.article_id;
	END IF;
	IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
		UPDATE kb_articles SET
			helpful_yes = helpful_yes + (NEW.helpful IS TRUE)::int,
			helpful_no = helpful_no + (NEW.helpful IS FALSE)::int,
			stars_sum = stars_sum + coalesce(NEW.stars, 0),
			stars_count = stars_count + (NEW.stars IS NOT NULL)::int
		WHERE id = NEW.article_id;
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kb_ratings_count AFTER INSERT OR UPDATE OR DELETE ON kb_article_ratings
	FOR EACH ROW EXECUTE FUNCTION kb_ratings_count();

-- The portal's way to vote: it may neither read others' votes nor touch
-- the article's counters itself. A NULL helpful or stars keeps the part of
-- the vote already given. Returns false when the article is not one the
-- voter may see (unpublished, or for customers only and they are not
-- signed in). An anonymous voter ("a…", a cookie) from an address that has
-- voted on the article before replaces that vote: a fresh cookie per vote
-- still counts once per address (028).
CREATE OR REPLACE FUNCTION kb_rate(p_article bigint, p_voter text, p_helpful boolean, p_stars smallint,
	p_comment text, p_signed_in boolean, p_address inet) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	v_voter text := p_voter;
	v_anonymous boolean := left(p_voter, 1) = 'a' AND p_address IS NOT NULL;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kb_articles WHERE id = p_article AND status = 'published'
		AND (visibility = 'public' OR (visibility = 'customers' AND p_signed_in))) THEN
		RETURN false;
	END IF;
	IF v_anonymous THEN
		-- Two votes from one address at once: one waits for the other.
		PERFORM pg_advisory_xact_lock(hashtextextended(p_article || ' ' || host(p_address), 28));
		SELECT voter INTO v_voter FROM kb_article_ratings
		WHERE article_id = p_article AND address = p_address AND left(voter, 1) = 'a'
		ORDER BY voter = p_voter DESC, created_at LIMIT 1;
		v_voter := coalesce(v_voter, p_voter);
	END IF;
	INSERT INTO kb_article_ratings AS r (article_id, voter, helpful, stars, comment, address)
	VALUES (p_article, v_voter, p_helpful, p_stars, coalesce(p_comment, ''),
		CASE WHEN v_anonymous THEN p_address END)
	ON CONFLICT (article_id, voter) DO UPDATE SET
		helpful = coalesce(EXCLUDED.helpful, r.helpful),
		stars = coalesce(EXCLUDED.stars, r.stars),
		comment = CASE WHEN EXCLUDED.comment <> '' THEN EXCLUDED.comment ELSE r.comment END,
		address = coalesce(EXCLUDED.address, r.address),
		updated_at = now();
	RETURN true;
END
$$;

-- Views are counted in the portal workers' memory and added here in
-- batches (see src/domain/kb_views.c): no write per page view.
CREATE OR REPLACE FUNCTION kb_add_views(p_ids bigint[], p_counts bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	UPDATE kb_articles a SET view_count = a.view_count + v.n
	FROM unnest(p_ids, p_counts) AS v (id, n) WHERE a.id = v.id
$$;

-- The portal records and marks searches through these; it cannot read
-- the table (what others searched for is not its business).
CREATE OR REPLACE FUNCTION kb_search_log(p_token text, p_source text, p_query text, p_count integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	-- A statistic: losing the last few on a crash is better than every
	-- search's worker waiting for the disk.
	SELECT set_config('synchronous_commit', 'off', true);
	INSERT INTO kb_searches (token, source, query, result_count)
	VALUES (p_token, p_source, p_query, p_count)
	ON CONFLICT (token) DO UPDATE SET query = EXCLUDED.query,
		result_count = EXCLUDED.result_count
	WHERE kb_searches.ticket_id IS NULL
$$;

-- The portal records its searches just after answering; a result opened
-- even sooner leaves its mark, and the search's own row fills it in.
CREATE OR REPLACE FUNCTION kb_search_opened(p_token text, p_article bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	INSERT INTO kb_searches AS s (token, source, query, opened, opened_article_id)
	VALUES (p_token, 'portal', '', true, p_article)
	ON CONFLICT (token) DO UPDATE SET opened = true, opened_article_id = p_article
$$;

CREATE OR REPLACE FUNCTION kb_search_ticket(p_token text, p_ticket bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	UPDATE kb_searches SET ticket_id = p_ticket WHERE token = p_token AND ticket_id IS NULL
$$;

CREATE OR REPLACE FUNCTION kb_article_tickets_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kb_articles SET times_used_in_tickets = times_used_in_tickets + 1
	WHERE id = NEW.article_id;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kb_article_tickets_count AFTER INSERT ON kb_article_tickets
	FOR EACH ROW EXECUTE FUNCTION kb_article_tickets_count();

-- A misspelt query made right: each word of three letters or more that no
-- published article contains becomes the most similar word that one does
-- (trigram similarity above pg_trgm's threshold). NULL when nothing
-- changes. It runs as the owner: roles.sql takes pg_trgm's functions away
-- from PUBLIC.
CREATE OR REPLACE FUNCTION kb_correct(q text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	WITH toks AS (
		SELECT t, n FROM regexp_split_to_table(lower(q), '[^[:alnum:]]+')
			WITH ORDINALITY AS x (t, n)
		WHERE t <> ''),
	fixed AS (
		SELECT n, t, CASE
			WHEN length(t) < 3 OR t !~ '^[[:alpha:]]+$'
				OR EXISTS (SELECT 1 FROM kb_words WHERE word = t) THEN t
			ELSE coalesce((SELECT w.word FROM kb_words w WHERE w.word % t
				ORDER BY w.word <-> t LIMIT 1), t) END AS f
		FROM toks)
	SELECT CASE WHEN bool_or(t <> f) THEN string_agg(f, ' ' ORDER BY n) END FROM fixed
$$;

-- What workers keep (023): the version of published text moves when an
-- article is added, removed, or has its text, category, type, status or
-- audience changed — not for view counts, votes or links, which change
-- all the time and do not change what a search finds. With the argument
-- 'categories' (290) it moves the category list's number instead (049).
CREATE OR REPLACE FUNCTION kb_state_bump() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF TG_NARGS > 0 AND TG_ARGV[0] = 'categories' THEN
		UPDATE kb_state SET categories = categories + 1;
	ELSE
		UPDATE kb_state SET version = version + 1;
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kb_articles_state AFTER INSERT OR DELETE OR UPDATE OF title, summary,
	body, tags, category_id, type, status, visibility, slug, original_id ON kb_articles
	FOR EACH STATEMENT EXECUTE FUNCTION kb_state_bump();

-- The word list only grows (words are never removed), and most edits add
-- no word: the workers read it again only when one was added.
CREATE OR REPLACE FUNCTION kb_words_grown() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF EXISTS (SELECT FROM added) THEN
		UPDATE kb_state SET words = words + 1;
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER kb_words_state AFTER INSERT ON kb_words
	REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION kb_words_grown();

-- A ticket's stored suggestions follow its subject and category: a change
-- of either removes them, and the ticket page computes them again once.
CREATE OR REPLACE FUNCTION kb_ticket_suggestions_stale() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	DELETE FROM kb_ticket_suggestions WHERE ticket_id = NEW.id;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER tickets_kb_suggestions AFTER UPDATE OF subject, category_id ON tickets
	FOR EACH ROW WHEN ((NEW.subject, NEW.category_id) IS DISTINCT FROM
		(OLD.subject, OLD.category_id))
	EXECUTE FUNCTION kb_ticket_suggestions_stale();
