-- 140_warranty.sql — coverage: what covers a registration, per component
-- (parts, labour, travel), computed here and stored in warranty_coverage
-- (034) so that pages read it and never compute it.
--
-- A component is covered on a day when one of its windows holds that day:
--   the manufacturer's warranty: from the registration's start_date for the
--   product's parts_months or labour_months (travel: as long as labour, when
--   the product covers travel);
--   a service contract of the same customer that includes the component and
--   names the registration or its product: from starts_on to ends_on.
-- Days are the customer's (customers.time_zone): coverage ends at midnight
-- there. The sentences people read are made in C (src/domain/warranty_words.c).

-- The coverage of registration p_reg at p_at (NULL when there is no such
-- registration). *_until is the last covered day of the window that covers
-- p_at (the one ending last), or, when none does, of the last window that
-- ended; next_change_at the next midnight at which a window starts or ends.
CREATE OR REPLACE FUNCTION warranty_coverage_compute(p_reg bigint, p_at timestamptz)
RETURNS warranty_coverage
LANGUAGE plpgsql STABLE AS $$
DECLARE
	c warranty_coverage;
	r record;
	w record;
	comp text;
	today date;
	covered boolean;
	until_ date;
	by_ text;
	ended date;
	ended_by text;
	nxt date;
BEGIN
	SELECT g.id, g.start_date, g.product_id, g.customer_id, p.parts_months, p.labour_months,
		p.travel_covered, cu.time_zone
	INTO r
	FROM warranty_registrations g
	JOIN products p ON p.id = g.product_id
	JOIN customers cu ON cu.id = g.customer_id
	WHERE g.id = p_reg;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	today := (p_at AT TIME ZONE r.time_zone)::date;
	c.registration_id := p_reg;
	c.as_of := p_at;
	FOREACH comp IN ARRAY ARRAY['parts', 'labour', 'travel'] LOOP
		covered := false;
		until_ := NULL;
		by_ := NULL;
		ended := NULL;
		ended_by := NULL;
		FOR w IN
			SELECT r.start_date AS s,
				(r.start_date + make_interval(months => x.m))::date - 1 AS e,
				'warranty' AS src
			FROM (SELECT CASE comp WHEN 'parts' THEN r.parts_months
				WHEN 'labour' THEN r.labour_months
				ELSE CASE WHEN r.travel_covered THEN r.labour_months ELSE 0 END
				END AS m) x
			WHERE x.m > 0
			UNION ALL
			SELECT k.starts_on, k.ends_on, 'contract'
			FROM service_contracts k
			WHERE k.customer_id = r.customer_id
				AND CASE comp WHEN 'parts' THEN k.parts WHEN 'labour' THEN k.labour
					ELSE k.travel END
				AND EXISTS (SELECT 1 FROM service_contract_items i
					WHERE i.contract_id = k.id
						AND (i.registration_id = p_reg OR i.product_id = r.product_id))
		LOOP
			IF w.s <= today AND w.e >= today THEN
				IF NOT covered OR w.e > until_ THEN
					covered := true;
					until_ := w.e;
					by_ := w.src;
				END IF;
			ELSIF w.e < today AND (ended IS NULL OR w.e > ended) THEN
				ended := w.e;
				ended_by := w.src;
			END IF;
			IF w.s > today AND (nxt IS NULL OR w.s < nxt) THEN
				nxt := w.s;
			END IF;
			IF w.e >= today AND (nxt IS NULL OR w.e + 1 < nxt) THEN
				nxt := w.e + 1;
			END IF;
		END LOOP;
		IF NOT covered THEN
			until_ := ended;
			by_ := ended_by;
		END IF;
		IF comp = 'parts' THEN
			c.parts_on := covered; c.parts_until := until_; c.parts_by := by_;
		ELSIF comp = 'labour' THEN
			c.labour_on := covered; c.labour_until := until_; c.labour_by := by_;
		ELSE
			c.travel_on := covered; c.travel_until := until_; c.travel_by := by_;
		END IF;
	END LOOP;
	c.next_change_at := CASE WHEN nxt IS NULL THEN NULL
		ELSE nxt::timestamp AT TIME ZONE r.time_zone END;
	RETURN c;
END
$$;

-- Stores the coverage of the registrations p_regs at p_at; how many rows.
-- SECURITY DEFINER: the portal registers products but may not write
-- coverage itself (nor read other customers' contracts to compute it).
CREATE OR REPLACE FUNCTION warranty_coverage_refresh(p_regs bigint[], p_at timestamptz)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	INSERT INTO warranty_coverage AS t
	SELECT c.* FROM unnest(p_regs) AS u (id),
		LATERAL warranty_coverage_compute(u.id, p_at) c
	WHERE c.registration_id IS NOT NULL
	ON CONFLICT (registration_id) DO UPDATE SET
		parts_until = EXCLUDED.parts_until, labour_until = EXCLUDED.labour_until,
		travel_until = EXCLUDED.travel_until, parts_on = EXCLUDED.parts_on,
		labour_on = EXCLUDED.labour_on, travel_on = EXCLUDED.travel_on,
		parts_by = EXCLUDED.parts_by, labour_by = EXCLUDED.labour_by,
		travel_by = EXCLUDED.travel_by, as_of = EXCLUDED.as_of,
		next_change_at = EXCLUDED.next_change_at;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- The batch's coverage step: rows a midnight has passed for since they
-- were computed (at most p_limit, oldest boundary first), as of p_at.
CREATE OR REPLACE FUNCTION warranty_coverage_due(p_at timestamptz, p_limit integer)
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT warranty_coverage_refresh(ARRAY(
		SELECT registration_id FROM warranty_coverage
		WHERE next_change_at <= p_at
		ORDER BY next_change_at LIMIT p_limit), p_at)
$$;

-- Who already has p_serial registered: 'none', 'same' (p_customer) or
-- 'other'; 'other' also records a flag for review. SECURITY DEFINER: the
-- portal cannot see other customers' registrations, and must not learn
-- more than "someone else".
CREATE OR REPLACE FUNCTION warranty_serial_owner(p_serial text, p_customer bigint)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	v_reg bigint;
	v_owner bigint;
	v_customer bigint := coalesce(request_customer(), p_customer);
BEGIN
	SELECT id, customer_id INTO v_reg, v_owner FROM warranty_registrations
	WHERE serial_key = upper(regexp_replace(p_serial, '\s', '', 'g'));
	IF NOT FOUND THEN
		RETURN 'none';
	END IF;
	IF v_owner = v_customer THEN
		RETURN 'same';
	END IF;
	INSERT INTO warranty_serial_flags (registration_id, customer_id) VALUES (v_reg, v_customer);
	RETURN 'other';
END
$$;

-- Inputs changed: recompute at once, so that no page shows stale coverage.
CREATE OR REPLACE FUNCTION warranty_registrations_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM warranty_coverage_refresh(ARRAY(SELECT id FROM new_rows), now());
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER warranty_registrations_inserted AFTER INSERT ON warranty_registrations
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION warranty_registrations_changed();
CREATE OR REPLACE TRIGGER warranty_registrations_updated AFTER UPDATE ON warranty_registrations
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION warranty_registrations_changed();

-- A product's terms changed: every registration of it.
CREATE OR REPLACE FUNCTION warranty_product_terms_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF (NEW.parts_months, NEW.labour_months, NEW.travel_covered)
		IS DISTINCT FROM (OLD.parts_months, OLD.labour_months, OLD.travel_covered) THEN
		PERFORM warranty_coverage_refresh(ARRAY(
			SELECT id FROM warranty_registrations WHERE product_id = NEW.id), now());
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER warranty_product_terms AFTER UPDATE ON products
	FOR EACH ROW EXECUTE FUNCTION warranty_product_terms_changed();

-- A contract, what it covers, or a customer's time zone changed: every
-- registration of that customer.
CREATE OR REPLACE FUNCTION warranty_customer_refresh(p_customer bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT warranty_coverage_refresh(ARRAY(
		SELECT id FROM warranty_registrations WHERE customer_id = p_customer), now())
$$;

CREATE OR REPLACE FUNCTION warranty_contract_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	IF TG_TABLE_NAME = 'service_contracts' THEN
		IF TG_OP <> 'INSERT' THEN
			PERFORM warranty_customer_refresh(OLD.customer_id);
		END IF;
		IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.customer_id <> OLD.customer_id
			OR (NEW.starts_on, NEW.ends_on, NEW.parts, NEW.labour, NEW.travel)
			IS DISTINCT FROM (OLD.starts_on, OLD.ends_on, OLD.parts, OLD.labour, OLD.travel)) THEN
			PERFORM warranty_customer_refresh(NEW.customer_id);
		END IF;
	ELSIF TG_TABLE_NAME = 'service_contract_items' THEN
		PERFORM warranty_customer_refresh(k.customer_id) FROM service_contracts k
		WHERE k.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.contract_id ELSE NEW.contract_id END;
	ELSIF NEW.time_zone IS DISTINCT FROM OLD.time_zone THEN
		PERFORM warranty_customer_refresh(NEW.id);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER warranty_contract AFTER INSERT OR UPDATE OR DELETE ON service_contracts
	FOR EACH ROW EXECUTE FUNCTION warranty_contract_changed();
CREATE OR REPLACE TRIGGER warranty_contract_item AFTER INSERT OR UPDATE OR DELETE ON service_contract_items
	FOR EACH ROW EXECUTE FUNCTION warranty_contract_changed();
CREATE OR REPLACE TRIGGER warranty_customer_zone AFTER UPDATE OF time_zone ON customers
	FOR EACH ROW EXECUTE FUNCTION warranty_contract_changed();
