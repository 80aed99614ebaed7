-- 150_returns.sql — the money and the windows of returns (035), in one place:
-- the terms a line is given when it is asked for, and what a settled line
-- pays. Amounts are numeric here so C never adds prices.

-- The terms of a line asked on p_asked for a product delivered on
-- p_delivered: the last day it may be asked (the product category's window,
-- else the policy's default), the restocking fee of its reason for that many
-- days since delivery (the row with the largest from_days not past it), and
-- whether the reason needs inspection. No row for an unknown product or
-- reason.
CREATE OR REPLACE FUNCTION return_terms(p_product bigint, p_reason text, p_delivered date,
	p_asked date)
RETURNS TABLE (window_until date, fee_kind text, fee_amount numeric, needs_inspection boolean,
	category text)
LANGUAGE sql STABLE AS $$
	SELECT p_delivered + coalesce(w.days, pol.default_window_days), f.kind,
		coalesce(f.amount, 0), rr.needs_inspection, coalesce(c.name, '')
	FROM products p
	CROSS JOIN return_policy pol
	JOIN return_reasons rr ON rr.reason = p_reason
	LEFT JOIN product_categories c ON c.id = p.category_id
	LEFT JOIN return_windows w ON w.category_id = p.category_id
	LEFT JOIN LATERAL (SELECT rf.kind, rf.amount FROM return_fees rf
		WHERE rf.reason = p_reason AND rf.from_days <= p_asked - p_delivered
		ORDER BY rf.from_days DESC LIMIT 1) f ON true
	WHERE p.id = p_product
$$;

-- Puts each line's money of return p_return from its units' outcomes: the
-- units refunded and credited times the unit price, less the fee (a
-- percentage of that, or the fixed amount once per line; none when the
-- line gives no money or p_waive), taken from the refund first. Adds the
-- totals to the return. Returns the lines whose fee is larger than their
-- money, which are left with a negative credit: nothing is refused here,
-- the caller rolls back and says why.
CREATE OR REPLACE FUNCTION return_settle_lines(p_return bigint, p_waive boolean)
RETURNS TABLE ("position" smallint, money numeric, fee numeric)
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE return_lines l SET fee = t.fee,
		refund = t.refund - least(t.fee, t.refund),
		credit = t.credit - greatest(t.fee - t.refund, 0)
	FROM (SELECT l2.id, m.refund, m.credit,
		CASE WHEN p_waive OR m.refund + m.credit = 0 OR l2.fee_kind IS NULL THEN 0
			WHEN l2.fee_kind = 'fixed' THEN l2.fee_amount
			ELSE round((m.refund + m.credit) * l2.fee_amount / 100, 2) END AS fee
		FROM return_lines l2
		CROSS JOIN LATERAL (SELECT
			count(*) FILTER (WHERE u.outcome = 'refund') * l2.unit_price AS refund,
			count(*) FILTER (WHERE u.outcome = 'credit') * l2.unit_price AS credit
			FROM return_units u WHERE u.line_id = l2.id) m
		WHERE l2.return_id = p_return) t
	WHERE t.id = l.id;
	UPDATE returns r SET refund_total = s.refund, credit_total = s.credit, fee_total = s.fee,
		updated_at = now()
	FROM (SELECT coalesce(sum(l.refund), 0) AS refund, coalesce(sum(l.credit), 0) AS credit,
		coalesce(sum(l.fee), 0) AS fee FROM return_lines l WHERE l.return_id = p_return) s
	WHERE r.id = p_return;
	RETURN QUERY SELECT l.position, l.refund + l.credit + l.fee, l.fee FROM return_lines l
		WHERE l.return_id = p_return AND l.credit < 0 ORDER BY l.position;
END
$$;
