-- 021_sla_words_in_c.sql — the last sentences for people made in SQL go:
-- a target's length ("4 h", "2 business days") and a calendar's week
-- ("Mon 09:00–17:00, …") are worded in C now (src/domain/sla_words.c,
-- sla_target_words and sla_hours_words) from the minutes and intervals
-- the statements read. Nothing calls these functions any more.
DROP FUNCTION IF EXISTS sla_target_text(integer, integer);
DROP FUNCTION IF EXISTS sla_hours_text(bigint);
