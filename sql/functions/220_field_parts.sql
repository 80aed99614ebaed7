-- 220_field_parts.sql — service parts (042).

-- updated_at moves with every change of a part.
CREATE OR REPLACE TRIGGER parts_touch BEFORE UPDATE ON parts
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The quantity a replenishment proposes for a level: when what is there
-- (on hand minus reserved, plus what is already on its way) is below min,
-- up to max, rounded up to the order multiple; 0 when nothing is needed.
-- min 2 / max 6 / multiple 2 / 1 there → 6 (5 rounded up to 6).
CREATE OR REPLACE FUNCTION stock_order_qty(p_available integer, p_min integer, p_max integer,
	p_multiple integer)
RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_available >= p_min OR p_max <= p_available THEN 0
		ELSE ((p_max - p_available + greatest(p_multiple, 1) - 1) / greatest(p_multiple, 1))
			* greatest(p_multiple, 1) END
$$;

-- A technician's name for the job report, which the portal shows its
-- customer (the portal's role cannot read staff): technicians' names only.
CREATE OR REPLACE FUNCTION parts_technician_name(p_staff bigint)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT s.name FROM staff s JOIN technicians t ON t.staff_id = s.id WHERE s.id = p_staff
$$;
