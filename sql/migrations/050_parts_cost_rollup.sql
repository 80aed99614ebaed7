-- 050_parts_cost_rollup.sql — cost per resolution counts the parts a job
-- used (042's job_charges.parts_cost: what they cost us), rolled up per
-- day and dimension like the work minutes, in cents so the rollup's facts
-- stay whole numbers.
ALTER TABLE analytics_daily ADD COLUMN parts_cost_cents bigint NOT NULL DEFAULT 0;
