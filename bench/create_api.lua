-- create_api.lua — wrk script: an integration creates tickets through the
-- API (POST /api/v1/tickets, JSON), a different subject each time, for a
-- customer with a portal login. The key comes as a header on the wrk
-- command line (-H "Authorization: Bearer …"), the customer's e-mail as
-- the argument. The bench counts the rows that really landed.
--   wrk ... -s bench/create_api.lua URL -- EMAIL
local email, n, tag = "", 0, ""

function init(args)
	email = args[1]
	tag = tostring({}):match("0x(%x+)") or "t"
end

-- wrk.format takes the headers given instead of wrk.headers (the -H
-- lines): copy those, then add the body's type.
local headers = {}

function request()
	if headers["Content-Type"] == nil then
		for k, v in pairs(wrk.headers) do
			headers[k] = v
		end
		headers["Content-Type"] = "application/json"
	end
	n = n + 1
	local body = string.format('{"customer_email":"%s","subject":"Bench: order %s-%d has not'
		.. ' arrived","description":"The tracking page has not moved for a week.",'
		.. '"channel":"api","priority":"medium"}', email, tag, n)
	return wrk.format("POST", "/api/v1/tickets", headers, body)
end
