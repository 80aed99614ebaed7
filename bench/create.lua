-- create.lua — wrk script for ticket creation, a different subject each
-- time, through one of two doors:
--   portal: a customer sends the "new request" form (POST /tickets,
--     urlencoded); the session cookie comes as a -H "Cookie: …" line, the
--     form's CSRF token as the second argument. The portal answers 303.
--   api: an integration posts JSON to /api/v1/tickets; the key comes as a
--     -H "Authorization: Bearer …" line, a customer's e-mail (one with a
--     portal login) as the second argument.
-- The bench counts the tickets that really landed, not the answers.
--   wrk ... -s bench/create.lua URL -- portal CSRF_TOKEN | api EMAIL
local door, arg, n, tag = "", "", 0, ""
-- wrk.format takes the headers given instead of wrk.headers (the -H
-- lines): copied here once, with the body's type added.
local headers

local function enc(s)
	return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function init(args)
	door, arg = args[1], args[2]
	tag = tostring({}):match("0x(%x+)") or "t"
end

function request()
	if headers == nil then
		headers = {}
		for k, v in pairs(wrk.headers) do
			headers[k] = v
		end
		headers["Content-Type"] = door == "api" and "application/json"
			or "application/x-www-form-urlencoded"
	end
	n = n + 1
	if door == "api" then
		local body = string.format('{"customer_email":"%s","subject":"Bench: order %s-%d has'
			.. ' not arrived","description":"The tracking page has not moved for a week.",'
			.. '"channel":"api","priority":"medium"}', arg, tag, n)
		return wrk.format("POST", "/api/v1/tickets", headers, body)
	end
	local body = "csrf_token=" .. enc(arg) ..
		"&subject=" .. enc("Bench: the kettle stops heating " .. tag .. "-" .. n) ..
		"&description=" .. enc("It clicks off after a few seconds and the water stays cold.") ..
		"&urgency=normal"
	return wrk.format("POST", "/tickets", headers, body)
end
