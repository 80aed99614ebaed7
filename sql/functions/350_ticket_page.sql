-- 350_ticket_page.sql — the customer panel's figures (056): kept by the
-- tickets' triggers, folded by the batch's counts step.

-- The lock one customer's figures are rewritten under: a group counted
-- again and the fold both delete rows and write their sum, so two of
-- them at once would count a row twice. Creations and status changes
-- only append, and take no lock.
CREATE OR REPLACE FUNCTION customer_figures_lock(p_customer bigint) RETURNS void
LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock(5601, (p_customer % 2147483647)::integer)
$$;

-- A ticket left the customer's product and serial group: the group's rows
-- are replaced by its count from the tickets (a latest creation cannot be
-- lowered by a delta row). One statement, so the rows deleted and the
-- tickets counted are of one snapshot: a creation committed after it keeps
-- its own row.
CREATE OR REPLACE FUNCTION customer_figures_recount(p_customer bigint, p_product bigint,
	p_serial text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	PERFORM customer_figures_lock(p_customer);
	WITH gone AS (DELETE FROM customer_ticket_figures WHERE customer_id = p_customer
		AND product_id = p_product AND serial IS NOT DISTINCT FROM p_serial)
	INSERT INTO customer_ticket_figures (customer_id, product_id, serial, open, total, latest)
	SELECT p_customer, p_product, p_serial, count(*) FILTER (WHERE ticket_is_open(status::text)),
		count(*), max(created_at)
	FROM tickets WHERE customer_id = p_customer AND product_id = p_product
		AND serial IS NOT DISTINCT FROM p_serial
	HAVING count(*) > 0;
END
$$;

-- The trigger: a creation appends its row; a status change appends ±1
-- open to the ticket's group; a ticket leaving its group (deletion, other
-- customer, product or serial) takes itself off (a row of -1 when it had
-- no product, the group counted again when it had one) and, still there,
-- joins its new group.
CREATE OR REPLACE FUNCTION tickets_keep_customer_figures() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
	old_serial text;
	new_serial text;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		old_serial := CASE WHEN OLD.product_id IS NOT NULL THEN OLD.serial END;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		new_serial := CASE WHEN NEW.product_id IS NOT NULL THEN NEW.serial END;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.customer_id = NEW.customer_id
		AND OLD.product_id IS NOT DISTINCT FROM NEW.product_id
		AND old_serial IS NOT DISTINCT FROM new_serial THEN
		IF ticket_is_open(OLD.status::text) <> ticket_is_open(NEW.status::text) THEN
			INSERT INTO customer_ticket_figures (customer_id, product_id, serial, open, total)
			VALUES (NEW.customer_id, NEW.product_id, new_serial,
				CASE WHEN ticket_is_open(NEW.status::text) THEN 1 ELSE -1 END, 0);
		END IF;
		RETURN NULL;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		IF OLD.product_id IS NULL THEN
			INSERT INTO customer_ticket_figures (customer_id, product_id, serial, open, total)
			VALUES (OLD.customer_id, NULL, NULL,
				CASE WHEN ticket_is_open(OLD.status::text) THEN -1 ELSE 0 END, -1);
		ELSE
			PERFORM customer_figures_recount(OLD.customer_id, OLD.product_id, old_serial);
		END IF;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO customer_ticket_figures (customer_id, product_id, serial, open, total, latest)
		VALUES (NEW.customer_id, NEW.product_id, new_serial,
			CASE WHEN ticket_is_open(NEW.status::text) THEN 1 ELSE 0 END, 1,
			CASE WHEN NEW.product_id IS NOT NULL THEN NEW.created_at END);
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER tickets_customer_figures AFTER INSERT OR DELETE ON tickets
	FOR EACH ROW EXECUTE FUNCTION tickets_keep_customer_figures();

CREATE OR REPLACE TRIGGER tickets_customer_figures_update AFTER UPDATE
	OF customer_id, product_id, serial, status ON tickets
	FOR EACH ROW
	WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id
		OR OLD.product_id IS DISTINCT FROM NEW.product_id
		OR OLD.serial IS DISTINCT FROM NEW.serial OR OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION tickets_keep_customer_figures();

-- Folds the rows appended since the last run into one per group, for up
-- to p_limit customers (their locks are held to the end of the
-- transaction); returns how many rows it folded. Rows appended meanwhile
-- are not seen by the delete and stay for the next run.
CREATE OR REPLACE FUNCTION customer_figures_roll_up(p_limit integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	c bigint;
	folded bigint := 0;
	n bigint;
BEGIN
	FOR c IN SELECT DISTINCT customer_id FROM customer_ticket_figures WHERE pending
		LIMIT p_limit LOOP
		PERFORM customer_figures_lock(c);
		WITH d AS (DELETE FROM customer_ticket_figures WHERE customer_id = c
			RETURNING product_id, serial, open, total, latest),
		s AS (INSERT INTO customer_ticket_figures (customer_id, product_id, serial, open,
			total, latest, pending)
			SELECT c, product_id, serial, sum(open), sum(total), max(latest), false
			FROM d GROUP BY product_id, serial HAVING sum(total) <> 0 OR sum(open) <> 0)
		SELECT count(*) INTO n FROM d;
		folded := folded + n;
	END LOOP;
	RETURN folded;
END
$$;

-- The ticket page's presence: the viewer's row is written only when it is
-- missing or older than p_refresh seconds (a row older than p_ttl starts a
-- new stretch: "since" moves on). Read first, so that the usual view —
-- within p_refresh of the last — starts no INSERT at all (the page's
-- statement used to carry an INSERT ... ON CONFLICT that did nothing most
-- of the time but still cost its start-up). True when it wrote.
CREATE OR REPLACE FUNCTION ticket_presence_touch(p_ticket bigint, p_staff bigint,
	p_refresh integer, p_ttl integer) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM ticket_presence WHERE ticket_id = p_ticket AND staff_id = p_staff
		AND seen_at > now() - make_interval(secs => p_refresh)) THEN
		RETURN false;
	END IF;
	INSERT INTO ticket_presence AS p (ticket_id, staff_id) VALUES (p_ticket, p_staff)
	ON CONFLICT (ticket_id, staff_id) DO UPDATE SET seen_at = now(),
		since = CASE WHEN p.seen_at < now() - make_interval(secs => p_ttl) THEN now()
			ELSE p.since END;
	RETURN true;
END
$$;
