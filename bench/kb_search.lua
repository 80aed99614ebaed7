-- kb_search.lua — wrk script for the portal's help-centre search: each
-- request takes the next query of a mix of what people type (one word, two
-- words, three-word questions, misspellings, a phrase that matches
-- nothing) with a filter now and then, so the rows measure search, not
-- one cached answer.
local queries = {
	-- one word
	"router", "wifi", "refund", "noise", "warranty", "toner",
	-- two words
	"kettle limescale", "reset password", "delivery tracking", "fridge leaks",
	"bluetooth pairing",
	-- three words and more
	"printer paper jam", "firmware update fails", "vacuum battery drains fast",
	"headset pairing fails", "monitor screen flickers", "camera will not turn on",
	"charger stopped charging", "app cannot find it", "speaker sound crackles",
	-- questions
	"how reset router", "why laptop overheats", "how descale kettle",
	"where is my parcel",
	-- misspelt
	"pasword", "dishwaser leaks water", "termostat", "bluetoth", "prnter jam",
	"routr keeps restarting",
	-- nothing
	"zzyzx qwop", "thermostat overheats",
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
