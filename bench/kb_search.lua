-- kb_search.lua — wrk script for the portal's help-centre search: each
-- request takes the next query of a mix of what people type (one word, a
-- few words, a misspelling, a phrase that matches nothing) with a filter
-- now and then, so the rows measure search, not one cached answer.
local queries = {
	"router", "kettle limescale", "printer paper jam", "thermostat overheats",
	"pasword", "reset password", "firmware update fails", "vacuum battery drains fast",
	"wifi", "headset pairing fails", "refund", "monitor screen flickers",
	"camera will not turn on", "charger stopped charging", "noise", "delivery tracking",
	"dishwaser leaks water", "app cannot find it", "zzyzx qwop", "speaker sound crackles",
}
local i = 0

request = function()
	i = i + 1
	local q = queries[(i % #queries) + 1]:gsub(" ", "+")
	local path = "/kb/search?q=" .. q
	if i % 5 == 0 then
		path = path .. "&type=troubleshooting"
	end
	return wrk.format("GET", path)
end
