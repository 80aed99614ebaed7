-- 440_kb_suggest.sql — a ticket's KB suggestions found and stored by one
-- statement (src/domain/kb_suggest.c; docs/architecture.md, "KB search").

-- The articles suggested for a subject: up to p_limit published articles,
-- internal ones too, that match any of its words, best first. They are the
-- rows kb_search_page gives for the same subject searched by any word
-- (p_any), the same candidates ranked the same way; what a page needs and
-- a list does not is left out: the snippets' text and marked words, the
-- reference's columns, kb_state's numbers, and a round trip for each of
-- the subject, the search and the store.
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
	q := replace(replace(websearch_to_tsquery('english', p_subject)::text, '&', '|'), '!', '');
	IF numnode(q) = 0 THEN
		RETURN '{}';
	END IF;
	c := kb_search_candidates('{public,customers,internal}', q, NULL, '', p_limit);
	RETURN (SELECT coalesce(array_agg(u.id ORDER BY u.r DESC, u.id DESC), '{}')
		FROM (SELECT v.id, v.r FROM unnest(c.ids, c.ranks) AS v (id, r)
			ORDER BY v.r DESC, v.id DESC LIMIT p_limit) u);
END
$$;
