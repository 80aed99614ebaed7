-- bench/assign_agents.sql — for `make bench` (scripts/bench_automation.sh):
-- a shift of 20 agents starts in front of the waiting tickets. They are on
-- shift around the clock, speak the generated languages, know every skill
-- at the top level and each has room for 50 tickets more than they hold,
-- in the teams of the queues that assign automatically, so the batch's
-- assign step has real work: a whole tick's worth (500). Named "Bench
-- shift N"; loading again gives them room again. :on false sends them off
-- shift (inactive), so later rows see nobody free again.
INSERT INTO staff (email, name, password_hash, roles, team_id, languages, capacity,
	work_days, work_start, work_end, active)
SELECT 'bench-shift-' || i || '@bench.invalid', 'Bench shift ' || i, '!', '{agent}',
	t.teams[1 + i % cardinality(t.teams)], '{en,de,fr,es,it,nl}', 50, '{1,2,3,4,5,6,7}',
	'00:00', '23:59:59.999999', :on
FROM generate_series(1, 20) i,
	(SELECT coalesce(array_agg(DISTINCT q.team_id) FILTER (WHERE q.team_id IS NOT NULL),
		ARRAY[NULL::bigint]) AS teams FROM queues q WHERE q.active AND q.auto_assign) t
ON CONFLICT (email) DO UPDATE SET active = :on, capacity = staff.open_tickets + 50;
INSERT INTO staff_skills (staff_id, skill_id, level)
SELECT s.id, k.id, 5 FROM staff s, skills k WHERE s.email LIKE 'bench-shift-%@bench.invalid'
ON CONFLICT DO NOTHING;
SELECT count(*) FROM tickets WHERE assignee_id IS NULL AND status IN ('new', 'reopened');
