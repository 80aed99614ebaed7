-- 011_knowledge_base.sql — the knowledge base: a tree of categories,
-- articles with their revisions, translations, images, ratings, the
-- searches people ran, and the tickets an article helped answer.
--
-- Articles are read by everyone through the portal, so they are not
-- customer-owned rows and carry no row-level security: what a visitor may
-- see is decided by status ('published') and visibility ('public' for
-- anyone, 'customers' for signed-in customers, 'internal' for staff), and
-- every portal statement says so in its WHERE clause.

-- Typo-tolerant search compares words by trigrams. pg_trgm ships with the
-- postgresql-15 package and is a trusted extension: the database owner may
-- create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE kb_categories (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	parent_id bigint REFERENCES kb_categories (id),
	slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
	position integer NOT NULL DEFAULT 0,
	CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX kb_categories_parent ON kb_categories (parent_id, position, name);

-- A move may not put a category under itself or one of its descendants.
CREATE FUNCTION kb_categories_no_cycle() RETURNS trigger
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
CREATE TRIGGER kb_categories_no_cycle BEFORE UPDATE OF parent_id ON kb_categories
	FOR EACH ROW EXECUTE FUNCTION kb_categories_no_cycle();

-- The text search configuration for an article's language (stemming).
CREATE FUNCTION kb_ts_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE split_part(language, '-', 1)
		WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
		WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch' WHEN 'pt' THEN 'portuguese'
		ELSE 'english' END::regconfig
$$;

CREATE TABLE kb_articles (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- Translations share their original's slug; the portal finds an
	-- article by the original's and picks the language itself.
	slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
	category_id bigint NOT NULL REFERENCES kb_categories (id),
	type text NOT NULL CHECK (type IN ('howto', 'troubleshooting', 'faq', 'best_practice')),
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'review', 'published', 'archived')),
	visibility text NOT NULL DEFAULT 'public'
		CHECK (visibility IN ('public', 'customers', 'internal')),
	language text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2}(-[a-z]{2})?$'),
	original_id bigint REFERENCES kb_articles (id) ON DELETE CASCADE,
	-- A translation is current while it was made from the original's
	-- present content_version; it is outdated as soon as the original's
	-- text changes after it.
	source_version integer,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 500),
	body text NOT NULL CHECK (length(body) <= 100000),
	tags text[] NOT NULL DEFAULT '{}',
	product_ids bigint[] NOT NULL DEFAULT '{}',
	author_id bigint REFERENCES staff (id),
	reviewer_id bigint REFERENCES staff (id),
	-- Who made the change being saved: read by the revision trigger.
	updated_by bigint REFERENCES staff (id),
	source_ticket_id bigint REFERENCES tickets (id) ON DELETE SET NULL,
	revision integer NOT NULL DEFAULT 1,
	content_version integer NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	published_at timestamptz,
	view_count bigint NOT NULL DEFAULT 0,
	helpful_yes integer NOT NULL DEFAULT 0,
	helpful_no integer NOT NULL DEFAULT 0,
	stars_sum integer NOT NULL DEFAULT 0,
	stars_count integer NOT NULL DEFAULT 0,
	times_used_in_tickets integer NOT NULL DEFAULT 0,
	search tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector(kb_ts_config(language), title), 'A') ||
		setweight(to_tsvector(kb_ts_config(language), summary), 'B') ||
		setweight(array_to_tsvector(tags), 'B') ||
		setweight(to_tsvector(kb_ts_config(language), body), 'C')) STORED,
	-- The title alone, indexed: a broad query ranks its title matches
	-- among its candidates whatever else matches (src/domain/kb.c).
	title_search tsvector GENERATED ALWAYS AS (
		to_tsvector(kb_ts_config(language), title)) STORED,
	CHECK ((original_id IS NULL) = (source_version IS NULL)),
	UNIQUE (original_id, language)
);
CREATE UNIQUE INDEX kb_articles_slug ON kb_articles (slug) WHERE original_id IS NULL;
-- Category pages and their counts read this index only (no table visit).
CREATE INDEX kb_articles_category ON kb_articles (category_id, status, visibility)
	WHERE original_id IS NULL;
CREATE INDEX kb_articles_status ON kb_articles (status, updated_at DESC, id DESC);
CREATE INDEX kb_articles_search ON kb_articles USING gin (search);
CREATE INDEX kb_articles_title_search ON kb_articles USING gin (title_search);

-- Every recorded change: a snapshot, who made it and which fields changed.
CREATE TABLE kb_revisions (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	article_id bigint NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
	revision integer NOT NULL,
	staff_id bigint REFERENCES staff (id),
	changed text[] NOT NULL,
	category_id bigint NOT NULL,
	type text NOT NULL,
	status text NOT NULL,
	visibility text NOT NULL,
	title text NOT NULL,
	summary text NOT NULL,
	body text NOT NULL,
	tags text[] NOT NULL,
	product_ids bigint[] NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (article_id, revision)
);

-- Words of published, non-internal articles: what a misspelt query word is
-- corrected to. Words are never removed; a stale one only finds nothing.
CREATE TABLE kb_words (
	word text PRIMARY KEY
);
CREATE INDEX kb_words_trgm ON kb_words USING gist (word gist_trgm_ops);

-- Bumps revision (any recorded change) and content_version (the text a
-- translation follows), and stamps updated_at.
CREATE FUNCTION kb_articles_before() RETURNS trigger
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
CREATE TRIGGER kb_articles_before BEFORE INSERT OR UPDATE ON kb_articles
	FOR EACH ROW EXECUTE FUNCTION kb_articles_before();

CREATE FUNCTION kb_articles_revision() RETURNS trigger
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
CREATE TRIGGER kb_articles_revision_ins AFTER INSERT ON kb_articles
	FOR EACH ROW EXECUTE FUNCTION kb_articles_revision();
CREATE TRIGGER kb_articles_revision_upd AFTER UPDATE ON kb_articles
	FOR EACH ROW WHEN (NEW.revision <> OLD.revision) EXECUTE FUNCTION kb_articles_revision();

-- Collects the words of newly published text: once per statement for
-- inserts, so a bulk load does one insert rather than one per article;
-- per row for edits, and only when the text or its audience changed (not
-- for counters).
CREATE FUNCTION kb_words_of(title text, summary text, body text, tags text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(w), '{}') FROM unnest(tsvector_to_array(to_tsvector('simple',
		title || ' ' || summary || ' ' || body || ' ' || array_to_string(tags, ' ')))) AS w
	WHERE w ~ '^[[:alpha:]]{3,30}$'
$$;

CREATE FUNCTION kb_articles_words_ins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kb_words (word)
	SELECT DISTINCT w FROM fresh a, unnest(kb_words_of(a.title, a.summary, a.body, a.tags)) w
	WHERE a.status = 'published' AND a.visibility <> 'internal'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER kb_articles_words_ins AFTER INSERT ON kb_articles
	REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_words_ins();

CREATE FUNCTION kb_articles_words_upd() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kb_words (word)
	SELECT DISTINCT w FROM unnest(kb_words_of(NEW.title, NEW.summary, NEW.body, NEW.tags)) w
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER kb_articles_words_upd AFTER UPDATE ON kb_articles
	FOR EACH ROW WHEN (NEW.status = 'published' AND NEW.visibility <> 'internal'
		AND NEW.revision <> OLD.revision)
	EXECUTE FUNCTION kb_articles_words_upd();

-- Images used in articles, served as attachments of the article.
CREATE TABLE kb_images (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	article_id bigint NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
	content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif',
		'image/webp')),
	size integer NOT NULL,
	data bytea NOT NULL,
	staff_id bigint REFERENCES staff (id),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_images_article ON kb_images (article_id);

-- One vote per person per article: "u<portal user id>" for a signed-in
-- customer, "a<random cookie id>" for a visitor. Voting again changes the
-- vote; the article's counters follow through the trigger.
CREATE TABLE kb_article_ratings (
	article_id bigint NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
	voter text NOT NULL CHECK (voter ~ '^[ua][0-9a-f]{1,40}$'),
	helpful boolean,
	stars smallint CHECK (stars BETWEEN 1 AND 5),
	comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (article_id, voter)
);

CREATE FUNCTION kb_ratings_count() RETURNS trigger
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
CREATE TRIGGER kb_ratings_count AFTER INSERT OR UPDATE OR DELETE ON kb_article_ratings
	FOR EACH ROW EXECUTE FUNCTION kb_ratings_count();

-- The portal's way to vote: it may neither read others' votes nor touch
-- the article's counters itself. A NULL helpful or stars keeps the part of
-- the vote already given. Returns false when the article is not one the
-- voter may see (unpublished, or for customers only and they are not
-- signed in).
CREATE FUNCTION kb_rate(p_article bigint, p_voter text, p_helpful boolean, p_stars smallint,
	p_comment text, p_signed_in boolean) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM kb_articles WHERE id = p_article AND status = 'published'
		AND (visibility = 'public' OR (visibility = 'customers' AND p_signed_in))) THEN
		RETURN false;
	END IF;
	INSERT INTO kb_article_ratings AS r (article_id, voter, helpful, stars, comment)
	VALUES (p_article, p_voter, p_helpful, p_stars, coalesce(p_comment, ''))
	ON CONFLICT (article_id, voter) DO UPDATE SET
		helpful = coalesce(EXCLUDED.helpful, r.helpful),
		stars = coalesce(EXCLUDED.stars, r.stars),
		comment = CASE WHEN EXCLUDED.comment <> '' THEN EXCLUDED.comment ELSE r.comment END,
		updated_at = now();
	RETURN true;
END
$$;

-- Views are counted in the portal workers' memory and added here in
-- batches (see src/domain/kb_views.c): no write per page view.
CREATE FUNCTION kb_add_views(p_ids bigint[], p_counts bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	UPDATE kb_articles a SET view_count = a.view_count + v.n
	FROM unnest(p_ids, p_counts) AS v (id, n) WHERE a.id = v.id
$$;

-- Every search: where it was typed (the portal's search page, the
-- new-ticket form's suggestions, the console), what it found, whether a
-- result was opened and — for the new-ticket form — whether a ticket
-- followed. The token travels in the result links; it is random so that
-- nobody can mark another person's search.
CREATE TABLE kb_searches (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token text NOT NULL UNIQUE CHECK (token ~ '^[0-9a-f]{32}$'),
	source text NOT NULL CHECK (source IN ('portal', 'ticket_form', 'console')),
	query text NOT NULL CHECK (length(query) <= 200),
	result_count integer NOT NULL DEFAULT 0,
	opened boolean NOT NULL DEFAULT false,
	opened_article_id bigint REFERENCES kb_articles (id) ON DELETE SET NULL,
	ticket_id bigint REFERENCES tickets (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_searches_created ON kb_searches (created_at);

-- The portal records and marks searches through these; it cannot read
-- the table (what others searched for is not its business).
CREATE FUNCTION kb_search_log(p_token text, p_source text, p_query text, p_count integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	INSERT INTO kb_searches (token, source, query, result_count)
	VALUES (p_token, p_source, p_query, p_count)
	ON CONFLICT (token) DO UPDATE SET query = EXCLUDED.query,
		result_count = EXCLUDED.result_count
	WHERE kb_searches.ticket_id IS NULL
$$;

-- The portal records its searches just after answering; a result opened
-- even sooner leaves its mark, and the search's own row fills it in.
CREATE FUNCTION kb_search_opened(p_token text, p_article bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	INSERT INTO kb_searches AS s (token, source, query, opened, opened_article_id)
	VALUES (p_token, 'portal', '', true, p_article)
	ON CONFLICT (token) DO UPDATE SET opened = true, opened_article_id = p_article
$$;

CREATE FUNCTION kb_search_ticket(p_token text, p_ticket bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	UPDATE kb_searches SET ticket_id = p_ticket WHERE token = p_token AND ticket_id IS NULL
$$;

-- Articles an agent sent in a ticket.
CREATE TABLE kb_article_tickets (
	article_id bigint NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
	ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	staff_id bigint REFERENCES staff (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (article_id, ticket_id)
);

CREATE FUNCTION kb_article_tickets_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE kb_articles SET times_used_in_tickets = times_used_in_tickets + 1
	WHERE id = NEW.article_id;
	RETURN NULL;
END
$$;
CREATE TRIGGER kb_article_tickets_count AFTER INSERT ON kb_article_tickets
	FOR EACH ROW EXECUTE FUNCTION kb_article_tickets_count();

-- A misspelt query made right: each word of three letters or more that no
-- published article contains becomes the most similar word that one does
-- (trigram similarity above pg_trgm's threshold). NULL when nothing
-- changes. It runs as the owner: roles.sql takes pg_trgm's functions away
-- from PUBLIC.
CREATE FUNCTION kb_correct(q text) RETURNS text
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
