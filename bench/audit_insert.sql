-- bench/audit_insert.sql — for `make bench` (scripts/bench.sh): one audit
-- row, the statement audit_record sends (src/domain/audit.c), run by
-- pgbench as the console's role; the trigger chains it by hash.
\set actor random(1, 50)
INSERT INTO audit_log (actor_kind, actor_id, action, object_type, object_id, detail, ip)
VALUES ('staff', :actor, 'ticket.update', 'ticket', 'TKT-000123',
	'{"field": "status", "from": "open", "to": "pending"}', '192.0.2.7');
