-- 440_kb_suggest.sql — a ticket's KB suggestions found and stored by one
-- statement (src/domain/kb_suggest.c; docs/architecture.md, "KB search").

-- A subject as the search a list is found by: any of its words.
CREATE OR REPLACE FUNCTION kb_suggest_query(p_subject text) RETURNS tsquery
LANGUAGE sql IMMUTABLE AS $$
	SELECT replace(replace(websearch_to_tsquery('english', p_subject)::text, '&', '|'),
		'!', '')::tsquery
$$;

-- The articles suggested for a subject: up to p_limit published articles,
-- internal ones too, that match any of its words, best first. They are the
-- rows kb_search_page gives for the same subject searched by any word
-- (p_any), the same candidates ranked the same way; what a page needs and
-- a list does not is left out: the snippets' text and marked words, the
-- reference's columns, kb_state's numbers.
CREATE OR REPLACE FUNCTION kb_suggest_ids(p_subject text, p_limit integer)
RETURNS bigint[]
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	q tsquery;
	c record;
BEGIN
	IF btrim(p_subject) = '' THEN
		RETURN '{}';
	END IF;
	q := kb_suggest_query(p_subject);
	IF numnode(q) = 0 THEN
		RETURN '{}';
	END IF;
	c := kb_search_candidates('{public,customers,internal}', q, NULL, '', p_limit);
	RETURN (SELECT coalesce(array_agg(u.id ORDER BY u.r DESC, u.id DESC), '{}')
		FROM (SELECT v.id, v.r FROM unnest(c.ids, c.ranks) AS v (id, r)
			ORDER BY v.r DESC, v.id DESC LIMIT p_limit) u);
END
$$;

-- Finds and stores ticket p_ticket's list of up to p_limit articles, unless
-- one is stored (or there is no such ticket). A list another ticket's
-- subject got for the same query and limit (065: query is "limit:query"),
-- in the knowledge base as it is now
-- (kb_state.version moves whenever what a search finds may change), is
-- taken as it is: tickets opened about the same thing search once. The
-- consumer's one statement, instead of a round trip for each of the
-- subject, the search and the store.
CREATE OR REPLACE FUNCTION kb_ticket_suggest(p_ticket bigint, p_limit integer) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	subj text;
	q text;
	v bigint;
	ids bigint[];
BEGIN
	SELECT t.subject INTO subj FROM tickets t WHERE t.id = p_ticket
		AND NOT EXISTS (SELECT 1 FROM kb_ticket_suggestions s WHERE s.ticket_id = t.id);
	IF NOT FOUND THEN
		RETURN;
	END IF;
	q := p_limit || ':' || CASE WHEN btrim(subj) = '' THEN '' ELSE kb_suggest_query(subj)::text END;
	SELECT k.version INTO v FROM kb_state k;
	SELECT s.article_ids INTO ids FROM kb_ticket_suggestions s
	WHERE s.query = q AND s.kb_version = v LIMIT 1;
	IF NOT FOUND THEN
		ids := kb_suggest_ids(subj, p_limit);
	END IF;
	INSERT INTO kb_ticket_suggestions (ticket_id, kb_version, article_ids, query)
	VALUES (p_ticket, v, ids, q)
	ON CONFLICT (ticket_id) DO NOTHING;
END
$$;
