-- 055_parts_rollup.sql — the field and parts reports read a daily rollup
-- (like analytics_daily, 037) instead of every usage and appointment of
-- the period: at 2 million usages "parts by customer, a year" read them
-- all. The rollup is kept by the batch's step "field-rollup" (functions
-- in 340_parts_rollup.sql); the history fills in over its first runs.

-- A day the rollup holds. A correction to one of its facts (a part
-- returned, a visit booked, a charge stored) marks it dirty through a
-- trigger: the reports read a dirty day from the facts until the batch
-- rolls it up again.
CREATE TABLE field_rollup_days (
	day date PRIMARY KEY,
	dirty boolean NOT NULL DEFAULT true,
	rolled_at timestamptz
);
CREATE INDEX field_rollup_days_dirty ON field_rollup_days (day) WHERE dirty;

-- Parts used and kept per day and customer, and per day and technician
-- (key 0: no technician); sums only, so a period is the sum of its days.
CREATE TABLE parts_usage_daily (
	dimension text NOT NULL CHECK (dimension IN ('customer', 'technician')),
	day date NOT NULL,
	key bigint NOT NULL,
	lines bigint NOT NULL,
	qty bigint NOT NULL,
	cost numeric,
	charged numeric,
	covered numeric,
	PRIMARY KEY (dimension, day, key)
);

-- A technician's visits per day (by the window's start), with the counts
-- and sums the technicians report divides.
CREATE TABLE technician_daily (
	day date NOT NULL,
	technician_id bigint NOT NULL,
	appointments bigint NOT NULL,
	completed bigint NOT NULL,
	first_time_fixes bigint NOT NULL,
	checked_in bigint NOT NULL,
	on_time bigint NOT NULL,
	jobs_timed bigint NOT NULL,
	job_min numeric,
	travels bigint NOT NULL,
	travel_min bigint,
	parts_cost numeric,
	revenue numeric,
	covered numeric,
	PRIMARY KEY (day, technician_id)
);
