-- bench/routing_rules.sql — for `make bench` (the creation rows): routing
-- rules like a large desk's, up to :n active, tried at every creation
-- before the demo's own (positions below theirs). Each has a keyword, a
-- category, a site or a language condition no generated ticket meets, so
-- every creation reads past all of them to the rule that routes it. Named
-- "bench routing N": loading again tops up to :n. Prints how many are active.
INSERT INTO routing_rules (position, name, if_keyword, if_channel, if_language, if_site,
	set_priority, set_tags)
SELECT -1000 + i, 'bench routing ' || i,
	CASE WHEN i % 3 <> 2 THEN 'bench-never-' || i END,
	CASE WHEN i % 4 = 0 THEN 'api' END,
	CASE WHEN i % 3 = 2 THEN 'fi' END,
	CASE WHEN i % 5 = 0 THEN 'Nowhere street ' || i END,
	'high', ARRAY['bench']
FROM generate_series(1, greatest(:n - (SELECT count(*) FROM routing_rules
	WHERE active AND name NOT LIKE 'bench routing %'), 0)) i
WHERE NOT EXISTS (SELECT 1 FROM routing_rules WHERE name = 'bench routing ' || i);
SELECT count(*) FROM routing_rules WHERE active;
