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

-- The coverage of the registrations p_regs at p_at, one row each, set-based
-- (a million registrations are computed in one statement per batch, not
-- one call each). Per component: covered when a window holds the
-- customer's day; *_until the last covered day of the window that covers it
-- (the one ending last), or, when none does, of the last window that ended;
-- *_by the kind of that window (the warranty before a contract ending the
-- same day); next_change_at the next midnight at which a window starts or
-- ends, in the customer's time zone.
CREATE OR REPLACE FUNCTION warranty_coverage_rows(p_regs bigint[], p_at timestamptz)
RETURNS SETOF warranty_coverage
LANGUAGE sql STABLE AS $$
	WITH r AS (
		SELECT g.id, g.start_date, g.product_id, g.customer_id, p.parts_months,
			p.labour_months, p.travel_covered, coalesce(cu.time_zone, 'UTC') AS time_zone,
			(p_at AT TIME ZONE coalesce(cu.time_zone, 'UTC'))::date AS today
		FROM unnest(p_regs) AS u (id)
		JOIN warranty_registrations g ON g.id = u.id
		JOIN products p ON p.id = g.product_id
		JOIN customers cu ON cu.id = g.customer_id
	), w AS (
		SELECT r.id, c.comp, r.today, r.start_date AS s,
			(r.start_date + make_interval(months => c.m))::date - 1 AS e, 'warranty' AS src
		FROM r CROSS JOIN LATERAL (VALUES ('parts', r.parts_months),
			('labour', r.labour_months),
			('travel', CASE WHEN r.travel_covered THEN r.labour_months ELSE 0 END)) AS c (comp, m)
		WHERE c.m > 0
		UNION ALL
		SELECT r.id, c.comp, r.today, k.starts_on, k.ends_on, 'contract'
		FROM r JOIN service_contracts k ON k.customer_id = r.customer_id
		CROSS JOIN LATERAL (VALUES ('parts', k.parts), ('labour', k.labour),
			('travel', k.travel)) AS c (comp, included)
		WHERE c.included AND EXISTS (SELECT 1 FROM service_contract_items i
			WHERE i.contract_id = k.id
				AND (i.registration_id = r.id OR i.product_id = r.product_id))
	), a AS (
		SELECT id, comp,
			bool_or(s <= today AND e >= today) AS covered,
			coalesce(max(e) FILTER (WHERE s <= today AND e >= today),
				max(e) FILTER (WHERE e < today)) AS until,
			coalesce((array_agg(src ORDER BY e DESC, src DESC)
					FILTER (WHERE s <= today AND e >= today))[1],
				(array_agg(src ORDER BY e DESC, src DESC) FILTER (WHERE e < today))[1]) AS src,
			least(min(s) FILTER (WHERE s > today), min(e + 1) FILTER (WHERE e >= today)) AS nxt
		FROM w GROUP BY id, comp
	)
	SELECT r.id, ap.until, al.until, tv.until,
		coalesce(ap.covered, false), coalesce(al.covered, false), coalesce(tv.covered, false),
		ap.src, al.src, tv.src, p_at,
		least(ap.nxt, al.nxt, tv.nxt)::timestamp AT TIME ZONE r.time_zone
	FROM r
	LEFT JOIN a ap ON ap.id = r.id AND ap.comp = 'parts'
	LEFT JOIN a al ON al.id = r.id AND al.comp = 'labour'
	LEFT JOIN a tv ON tv.id = r.id AND tv.comp = 'travel'
$$;

-- One registration's coverage at p_at (NULL when there is no such
-- registration): what "what covers this serial at that time" computes.
CREATE OR REPLACE FUNCTION warranty_coverage_compute(p_reg bigint, p_at timestamptz)
RETURNS warranty_coverage
LANGUAGE sql STABLE AS $$
	SELECT * FROM warranty_coverage_rows(ARRAY[p_reg], p_at)
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
	SELECT * FROM warranty_coverage_rows(p_regs, p_at)
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

-- The response tier a service contract gives a customer's product (every
-- unit of it, or the one registered unit with this serial) on a day; NULL
-- when no contract covers it. The SLA policy choice (sla_compute, 070)
-- answers at this tier when it is above the customer's own.
CREATE OR REPLACE FUNCTION warranty_contract_tier(p_customer bigint, p_product bigint,
	p_serial text, p_on date) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
	SELECT k.response_tier FROM service_contracts k
	JOIN service_contract_items i ON i.contract_id = k.id
	LEFT JOIN warranty_registrations g ON g.id = i.registration_id
	WHERE k.customer_id = p_customer AND p_on BETWEEN k.starts_on AND k.ends_on
		AND (i.product_id = p_product OR (g.product_id = p_product
			AND g.serial_key = upper(regexp_replace(coalesce(p_serial, ''), '\s', '', 'g'))))
	ORDER BY array_position(ARRAY['standard', 'premium', 'vip'], k.response_tier) DESC
	LIMIT 1
$$;
