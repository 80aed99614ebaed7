-- rotate.lua — wrk script for pages read over many URLs: each request asks
-- for a path drawn at random from a file of paths (one per line, written
-- by scripts/bench.sh from the database: ticket numbers, queue views), so
-- a row measures the page, not one cached answer.
--   wrk ... -s bench/rotate.lua URL -- PATHS_FILE
local paths = {}

function init(args)
	for line in io.lines(args[1]) do
		if line ~= "" then
			paths[#paths + 1] = line
		end
	end
	-- Each thread its own sequence.
	math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
	return wrk.format("GET", paths[math.random(#paths)])
end
