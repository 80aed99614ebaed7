-- 290_kb_speed.sql — a help-centre search in one statement: which articles
-- are ranked (a bounded set of candidates, chosen without reading every
-- match), the retries with a corrected query or with any of the words, and
-- the numbers that tell a worker its kept lists are out of date
-- (docs/architecture.md, "KB search").

-- The category list a worker keeps (049): a change of any category moves
-- kb_state.categories, which every search returns.
CREATE OR REPLACE TRIGGER kb_categories_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON kb_categories FOR EACH STATEMENT EXECUTE FUNCTION kb_state_bump('categories');

-- The candidates a search ranks, each once with its rank: up to 20 (or
-- the pages asked for) whose title matches, and when those do not fill
-- the pages, up to 30 (or the pages) matching anywhere. A title match
-- adds 1 to the rank, more than any weight of body matches can. more: the
-- bounds were reached, so there may be other matches.
--
-- How the body matches are found matters more than anything else here. The
-- GIN index answers a rare word at once, but for a common one (a word in
-- a tenth of 100,000 articles, or two such words together) it reads and
-- checks every match — milliseconds. Walking the newest articles finds
-- enough of a common word's matches in a few hundred rows. So: look at the
-- newest 200; when two or more match, the words are common and the walk
-- goes on twice as far as that rate says it must (at most 3,000 articles); when
-- fewer match, or the walk still falls short, the index is asked. The
-- plans are kept (plan_cache_mode): none depends on how common a word is.
--
-- The title matches are the first title_k the index's bitmap gives, which
-- reads the table's pages in order: the first title_k in the table's
-- order. A query of any of several words (a ticket's subject, a search's
-- last retry) often has thousands of them, and the bitmap is made of all
-- of them first (a millisecond for five common words). So such a query,
-- unless a type or category filter makes its matches rarer, reads the
-- table's first 48 pages (about 290 articles) in order; when
-- those hold at least a quarter of title_k matches, as many pages as that
-- rate says, and half again (at most 288); only when that falls short is
-- the index asked. The pages read in order give the very rows the bitmap
-- would: the same candidates, the same results.
CREATE OR REPLACE FUNCTION kb_search_candidates(p_aud text[], p_q tsquery, p_cats bigint[],
	p_type text, p_want integer, OUT ids bigint[], OUT ranks double precision[],
	OUT more boolean)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	title_k integer := greatest(20, p_want);
	body_k integer := greatest(30, p_want);
	t_ids bigint[];
	t_ranks double precision[];
	b_ids bigint[] := '{}';
	b_ranks double precision[] := '{}';
	g_ids bigint[];
	g_ranks double precision[];
	seen integer;
	t_seen integer := 0;
	walk_titles boolean := strpos(p_q::text, '|') > 0 AND strpos(p_q::text, '&') = 0
		AND p_cats IS NULL AND p_type = '';
BEGIN
	FOR walk IN 1..2 LOOP
		EXIT WHEN NOT walk_titles;
		SELECT coalesce(array_agg(t.id), '{}'), coalesce(array_agg(t.r), '{}')
		INTO t_ids, t_ranks FROM (
			SELECT a.id, ts_rank(a.search, p_q) + 1 AS r
			FROM (SELECT x.id, x.search, x.title_search, x.status, x.original_id,
					x.visibility, x.category_id, x.type
				FROM kb_articles x
				WHERE x.ctid < ('(' || CASE WHEN walk = 1 THEN 48
					ELSE 72 * title_k / greatest(t_seen, 1) END
					|| ',0)')::tid
				OFFSET 0) a
			WHERE a.title_search @@ p_q AND a.status = 'published' AND a.original_id IS NULL
				AND a.visibility = ANY (p_aud)
				AND (p_cats IS NULL OR a.category_id = ANY (p_cats))
				AND (p_type = '' OR a.type = p_type)
			LIMIT title_k) t;
		t_seen := cardinality(t_ids);
		EXIT WHEN t_seen >= title_k OR t_seen * 4 < title_k;
	END LOOP;
	IF t_seen < title_k THEN
		SELECT coalesce(array_agg(t.id), '{}'), coalesce(array_agg(t.r), '{}')
		INTO t_ids, t_ranks FROM (
			SELECT a.id, ts_rank(a.search, p_q) + 1 AS r FROM kb_articles a
			WHERE a.title_search @@ p_q AND a.status = 'published' AND a.original_id IS NULL
				AND a.visibility = ANY (p_aud)
				AND (p_cats IS NULL OR a.category_id = ANY (p_cats))
				AND (p_type = '' OR a.type = p_type)
			LIMIT title_k) t;
	END IF;
	more := cardinality(t_ids) >= title_k;
	IF cardinality(t_ids) < p_want THEN
		FOR walk IN 1..2 LOOP
			SELECT coalesce(array_agg(b.id), '{}'), coalesce(array_agg(b.r), '{}')
			INTO b_ids, b_ranks FROM (
				SELECT a.id, ts_rank(a.search, p_q)
					+ CASE WHEN a.title_search @@ p_q THEN 1 ELSE 0 END AS r
				FROM (SELECT x.id, x.search, x.title_search, x.status, x.original_id,
						x.visibility, x.category_id, x.type
					FROM kb_articles x ORDER BY x.id DESC
					LIMIT CASE WHEN walk = 1 THEN 200
						ELSE least(3000, 400 * body_k / greatest(seen, 1)) END) a
				WHERE a.search @@ p_q AND a.status = 'published' AND a.original_id IS NULL
					AND a.visibility = ANY (p_aud)
					AND (p_cats IS NULL OR a.category_id = ANY (p_cats))
					AND (p_type = '' OR a.type = p_type)
				LIMIT body_k) b;
			seen := cardinality(b_ids);
			EXIT WHEN seen >= body_k OR seen < 2;
		END LOOP;
		IF seen < body_k THEN
			SELECT coalesce(array_agg(b.id), '{}'), coalesce(array_agg(b.r), '{}')
			INTO g_ids, g_ranks FROM (
				SELECT a.id, ts_rank(a.search, p_q)
					+ CASE WHEN a.title_search @@ p_q THEN 1 ELSE 0 END AS r
				FROM kb_articles a
				WHERE a.search @@ p_q AND a.status = 'published' AND a.original_id IS NULL
					AND a.visibility = ANY (p_aud)
					AND (p_cats IS NULL OR a.category_id = ANY (p_cats))
					AND (p_type = '' OR a.type = p_type)
				LIMIT body_k) b;
			b_ids := b_ids || g_ids;
			b_ranks := b_ranks || g_ranks;
			seen := cardinality(g_ids);
		END IF;
		more := more OR seen >= body_k;
	END IF;
	SELECT coalesce(array_agg(u.id), '{}'), coalesce(array_agg(u.r), '{}') INTO ids, ranks
	FROM (SELECT v.id, max(v.r) AS r FROM unnest(t_ids || b_ids, t_ranks || b_ranks) AS v (id, r)
		GROUP BY v.id) u;
END
$$;

-- A search page: its rows (id, rank), how many candidates were ranked
-- (total) and whether there may be more, and what the results are for. A
-- query that finds fewer than three articles and has three words or fewer
-- is tried corrected (p_fixed, worked out by the worker from the word list
-- it keeps; or here by kb_correct when p_fix_here, the list being too big
-- to keep), and the correction is used when it finds more; a query of
-- several words that finds nothing is tried with any of its words
-- (p_words: how many words the query has). p_any: any of the words at
-- once (a ticket's subject is a sentence, not a search). shown: the
-- correction the results are for, NULL when none; any_word: they match
-- only some of the words; marks: the word forms the snippets mark,
-- blank-separated: those of the word list whose stem is one of the
-- query's (049), and the stems themselves (numbers, short words, words of
-- internal articles, which the list leaves out, are their own stem). The worker used to send each try as a
-- statement of its own, and PostgreSQL made every snippet (ts_headline).
-- Rows only for the page asked; none when nothing matched. With p_token
-- the search is recorded under it (kb_search_log: a statistic, committed
-- without waiting for the disk) as what the results are for, with how many
-- were found: no statement of its own.
CREATE OR REPLACE FUNCTION kb_search_page(p_aud text[], p_q text, p_fixed text,
	p_fix_here boolean, p_any boolean, p_words integer, p_category bigint, p_type text,
	p_limit integer, p_offset integer, p_token text, p_source text)
RETURNS TABLE (id bigint, rank double precision, total bigint, more boolean, shown text,
	any_word boolean, marks text)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	want integer := p_limit + p_offset;
	cats bigint[];
	q tsquery := websearch_to_tsquery('english', p_q);
	fix text := p_fixed;
	src text := p_q;
	lx text[];
	fq tsquery;
	c record;
	alt record;
	corrected boolean := false;
	anyw boolean := false;
BEGIN
	IF p_category <> 0 THEN
		WITH RECURSIVE sub (cid) AS (
			SELECT p_category
			UNION
			SELECT k.id FROM kb_categories k JOIN sub ON k.parent_id = sub.cid)
		SELECT array_agg(cid) INTO cats FROM sub;
	END IF;
	IF p_any THEN
		q := replace(replace(q::text, '&', '|'), '!', '')::tsquery;
		anyw := true;
	END IF;
	c := kb_search_candidates(p_aud, q, cats, p_type, want);
	IF NOT p_any AND cardinality(c.ids) < 3 AND p_offset = 0 THEN
		IF p_words <= 3 AND p_fix_here THEN
			fix := kb_correct(p_q);
		END IF;
		IF p_words <= 3 AND fix IS NOT NULL THEN
			fq := websearch_to_tsquery('english', fix);
			alt := kb_search_candidates(p_aud, fq, cats, p_type, want);
			IF cardinality(alt.ids) > cardinality(c.ids) THEN
				c := alt;
				src := fix;
				corrected := true;
			END IF;
		ELSE
			fix := NULL;
		END IF;
		IF cardinality(c.ids) = 0 AND p_words >= 2 THEN
			fq := replace(replace(websearch_to_tsquery('english', coalesce(fix, p_q))::text,
				'&', '|'), '!', '')::tsquery;
			alt := kb_search_candidates(p_aud, fq, cats, p_type, want);
			IF cardinality(alt.ids) > 0 THEN
				c := alt;
				src := coalesce(fix, p_q);
				corrected := fix IS NOT NULL;
				anyw := true;
			END IF;
		END IF;
	END IF;
	IF p_token IS NOT NULL THEN
		PERFORM kb_search_log(p_token, p_source, CASE WHEN corrected THEN fix ELSE p_q END,
			cardinality(c.ids));
	END IF;
	IF cardinality(c.ids) = 0 THEN
		RETURN;
	END IF;
	lx := tsvector_to_array(to_tsvector('english', src));
	RETURN QUERY
	SELECT u.id, u.r, cardinality(c.ids)::bigint, c.more,
		CASE WHEN corrected THEN fix END, anyw,
		(SELECT string_agg(m.w, ' ') FROM (
			SELECT k.word AS w FROM kb_words k WHERE k.lexeme = ANY (lx)
			UNION
			SELECT unnest(lx)) m)
	FROM unnest(c.ids, c.ranks) AS u (id, r)
	ORDER BY u.r DESC, u.id DESC LIMIT p_limit OFFSET p_offset;
END
$$;
