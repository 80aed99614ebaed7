-- 019_job_photos.sql — photos on Tina's completed job (013): one the
-- technician shared with the customer (Northwind sees it under My visits
-- and on the job report), one kept for staff. Small generated pictures,
-- captioned as demo pictures. Safe to load again: the same bytes are one
-- photo of the visit (053's unique key).
INSERT INTO job_photos (appointment_id, customer_id, staff_id, filename, content_type, size,
	sha256, data, caption, shared)
SELECT ap.id, ap.customer_id, ap.technician_id, p.filename, 'image/png', length(p.data),
	sha256(p.data), p.data, p.caption, p.shared
FROM (SELECT id, customer_id, technician_id FROM appointments WHERE status = 'completed'
	ORDER BY id LIMIT 1) ap,
	(VALUES ('drain-pump.png', 'Demo picture: the drain pump before it was replaced', true,
		decode('89504e470d0a1a0a0000000d49484452000000600000004008020000006a56e55900000074494441'
		|| '5478daedd0310d00200c00b0c941134a762205a938d8b5ec204daaa0917928840241820409122448'
		|| '9020040912244890204182daac7d6708122448902041820409122448902041820409122448902041'
		|| '820409122448902041820409128420418204091224481082040912244890a0ff3d2652375adbd43a'
		|| '740000000049454e44ae426082', 'hex')),
	('van-shelf.png', 'Demo picture: the parts taken from Van 1', false,
		decode('89504e470d0a1a0a0000000d49484452000000600000004008020000006a56e55900000087494441'
		|| '5478daedd9b10d0020080440e6642607a3712747d086062fa1fe84eb3e1fb9f27a55fb7a53730210'
		|| '2040800001020408102040801a807e7efe2507102040800001020408102040803a8094556d1e1020'
		|| '4080000102040810204076316d1e1020408000010204081020407631651510204080000102040810'
		|| '204080ec62da3c2040c3720e48375e86c460b64b0000000049454e44ae426082', 'hex')))
	AS p (filename, caption, shared, data)
ON CONFLICT (appointment_id, sha256) DO NOTHING;
