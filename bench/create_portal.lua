-- create_portal.lua — wrk script: a customer sends the portal's "new
-- request" form (POST /tickets, urlencoded) over and over, a different
-- subject each time. The session cookie comes as a header on the wrk
-- command line (-H "Cookie: …"), the form's CSRF token as the argument.
-- The portal answers 303 to the new ticket; the bench counts the rows
-- that really landed, not the answers.
--   wrk ... -s bench/create_portal.lua URL -- CSRF_TOKEN
local token, n, tag = "", 0, ""

local function enc(s)
	return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function init(args)
	token = args[1]
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
		headers["Content-Type"] = "application/x-www-form-urlencoded"
	end
	n = n + 1
	local body = "csrf_token=" .. enc(token) ..
		"&subject=" .. enc("Bench: the kettle stops heating " .. tag .. "-" .. n) ..
		"&description=" .. enc("It clicks off after a few seconds and the water stays cold.") ..
		"&urgency=normal"
	return wrk.format("POST", "/tickets",
		headers, body)
end
