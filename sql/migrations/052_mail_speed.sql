-- 052_mail_speed.sql — a received message writes fewer index entries.
-- A message is inserted, then updated once filed (a new row version: its
-- status is indexed), and 032/045 index five references that are empty on
-- the insert and mostly empty after it (the comment of a reply, the sender,
-- a suggested merge, the mail a bounce answers, the agent who reviewed it):
-- every version of every message had an entry in each. They serve the
-- deletions of what they point at (ON DELETE SET NULL) and the review
-- pages, which look for one value, never for an empty one: indexed only
-- when set, the same lookups use them and a message writes about half the
-- index entries it did (sql/functions/310_mail_speed.sql has the rest).
DROP INDEX mail_messages_comment;
CREATE INDEX mail_messages_comment ON mail_messages (comment_id) WHERE comment_id IS NOT NULL;
DROP INDEX mail_messages_sender;
CREATE INDEX mail_messages_sender ON mail_messages (sender_id) WHERE sender_id IS NOT NULL;
DROP INDEX mail_messages_suggested;
CREATE INDEX mail_messages_suggested ON mail_messages (suggested_ticket_id)
	WHERE suggested_ticket_id IS NOT NULL;
DROP INDEX mail_messages_bounce;
CREATE INDEX mail_messages_bounce ON mail_messages (bounce_of) WHERE bounce_of IS NOT NULL;
DROP INDEX mail_messages_reviewed_by;
CREATE INDEX mail_messages_reviewed_by ON mail_messages (reviewed_by) WHERE reviewed_by IS NOT NULL;
