-- 160_surveys.sql — the survey link's two steps for the portal, which
-- reaches invitations only through these (SECURITY DEFINER: it cannot read
-- the table, nor anyone's answers), and the response rate the figures use.
-- See docs/surveys.md.

-- What the answer page shows for a token's hash: the invitation and, once
-- answered, the answer given. No row when the hash names nothing.
CREATE OR REPLACE FUNCTION survey_invitation_open(p_hash bytea)
RETURNS TABLE (id bigint, kind text, expired boolean, expires_at timestamptz,
	answer_version integer, score smallint, comment text, ticket_number text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT i.id, i.kind, i.expires_at <= now(), i.expires_at, i.answer_version, r.score,
		r.comment, t.number
	FROM survey_invitations i
	LEFT JOIN survey_responses r ON r.invitation_id = i.id
	LEFT JOIN tickets t ON t.id = i.ticket_id
	WHERE i.token_hash = p_hash
$$;

-- Records the answer to the invitation whose token hashes to p_hash, as
-- the form that was answered saw it (p_seen: the answer_version shown).
-- outcome: 'answered' (the first answer), 'changed' (a later one, while
-- the link is valid), 'replay' (the form was already used: the answer
-- stands), 'expired', 'unknown'. The score's range is the table's CHECK;
-- the caller checks it first. The row is locked, so two submissions of
-- one form cannot both count as the first.
CREATE OR REPLACE FUNCTION survey_answer_save(p_hash bytea, p_score smallint, p_comment text,
	p_sentiment text, p_seen integer)
RETURNS TABLE (outcome text, invitation_id bigint, response_id bigint, portal_user_id bigint,
	kind text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	v survey_invitations%ROWTYPE;
	v_response bigint;
BEGIN
	SELECT * INTO v FROM survey_invitations i WHERE i.token_hash = p_hash FOR UPDATE;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'unknown'::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text;
		RETURN;
	END IF;
	IF v.expires_at <= now() THEN
		RETURN QUERY SELECT 'expired'::text, v.id, NULL::bigint, v.portal_user_id, v.kind;
		RETURN;
	END IF;
	IF v.answer_version <> p_seen THEN
		RETURN QUERY SELECT 'replay'::text, v.id, NULL::bigint, v.portal_user_id, v.kind;
		RETURN;
	END IF;
	UPDATE survey_responses r SET score = p_score, comment = p_comment,
		sentiment = p_sentiment, updated_at = now()
	WHERE r.invitation_id = v.id RETURNING r.id INTO v_response;
	IF v_response IS NULL THEN
		INSERT INTO survey_responses (kind, score, comment, sentiment, customer_id, ticket_id,
			team_id, agent_id, invitation_id, source)
		VALUES (v.kind, p_score, p_comment, p_sentiment, v.customer_id, v.ticket_id,
			v.team_id, v.agent_id, v.id, 'survey')
		RETURNING id INTO v_response;
	END IF;
	UPDATE survey_invitations SET answer_version = answer_version + 1,
		answered_at = coalesce(answered_at, now())
	WHERE survey_invitations.id = v.id;
	RETURN QUERY SELECT CASE WHEN v.answer_version = 0 THEN 'answered' ELSE 'changed' END,
		v.id, v_response, v.portal_user_id, v.kind;
END
$$;

-- Whether a console session with this token hash is alive: the survey
-- pages refuse a browser signed in as staff (the portal's role cannot read
-- staff sessions).
CREATE OR REPLACE FUNCTION survey_staff_session(p_hash bytea) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT EXISTS (SELECT 1 FROM staff_sessions s JOIN staff t ON t.id = s.staff_id
		WHERE s.token_hash = p_hash AND s.expires_at > now()
		AND s.last_seen_at + make_interval(secs => s.idle_seconds) > now() AND t.active)
$$;

-- Response rate: of the invitations sent in [p_from, p_to) — by the team
-- and agent that held the ticket when each was sent, NULL for all — the
-- share answered (at any time before the link expired), as a fraction
-- 0 … 1; NULL when none was sent. Ratings given on the portal without an
-- invitation are in neither count.
CREATE OR REPLACE FUNCTION survey_response_rate(p_from timestamptz, p_to timestamptz,
	p_team bigint, p_agent bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN count(*) = 0 THEN NULL
		ELSE round(count(*) FILTER (WHERE answered_at IS NOT NULL)::numeric / count(*), 4) END
	FROM survey_invitations
	WHERE sent_at >= p_from AND sent_at < p_to
		AND (p_team IS NULL OR team_id = p_team)
		AND (p_agent IS NULL OR agent_id = p_agent)
$$;

-- QA score: the mean score (0 … 100) of the quality reviews done in
-- [p_from, p_to) — by their reviewed_at — of the agent and team that
-- resolved the ticket (NULL: all); NULL when there is none. Each review's
-- score is Σ(weight × points ÷ 4) ÷ Σ weight × 100 over its scorecard's
-- criteria, stored when it was scored.
CREATE OR REPLACE FUNCTION qa_score(p_from timestamptz, p_to timestamptz, p_team bigint,
	p_agent bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT round(avg(score), 2) FROM qa_reviews
	WHERE status = 'done' AND reviewed_at >= p_from AND reviewed_at < p_to
		AND (p_team IS NULL OR team_id = p_team)
		AND (p_agent IS NULL OR agent_id = p_agent)
$$;
