-- 028_idempotency_and_limits.sql — a retried create answers what the first
-- one did, and customers and anonymous voters are held to limits.
--
-- idempotency_keys: a client's key (the API's Idempotency-Key header, or a
-- form's one-time token) with the answer it got. The row is written in the
-- same transaction as the ticket or comment it made, so "stored" and
-- "answered" cannot disagree; a concurrent retry waits on the row's insert
-- and then finds the stored answer. Keys live 24 hours (the batch's
-- housekeeping deletes older ones); owner_id is the API key, the portal
-- user or the staff member, by scope.
CREATE TABLE idempotency_keys (
	scope text NOT NULL CHECK (scope IN ('api', 'portal', 'console')),
	owner_id bigint NOT NULL,
	key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
	request_hash text NOT NULL,
	status smallint,
	location text,
	body text,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (scope, owner_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Rate limits count a customer's recent tickets, comments and files from
-- these (ticket_limits.c).
CREATE INDEX tickets_customer_created ON tickets (customer_id, created_at);
CREATE INDEX ticket_comments_author_created ON ticket_comments (author_user_id, created_at)
	WHERE author_user_id IS NOT NULL;
CREATE INDEX ticket_attachments_created ON ticket_attachments (created_at);

-- Anonymous votes remember where they came from: one counts per address
-- and article, whatever cookie comes with it (kb_rate in 120_kb.sql).
ALTER TABLE kb_article_ratings ADD COLUMN address inet;
CREATE INDEX kb_article_ratings_address ON kb_article_ratings (article_id, address)
	WHERE address IS NOT NULL;
DROP FUNCTION IF EXISTS kb_rate(bigint, text, boolean, smallint, text, boolean);

-- The per-customer attachment quota, per day; an admin changes them on the
-- security settings page.
INSERT INTO settings (key, value) VALUES
	('customer_files_per_day', '50'),
	('customer_file_mb_per_day', '100')
ON CONFLICT (key) DO NOTHING;
