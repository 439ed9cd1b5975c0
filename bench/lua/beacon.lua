-- wrk script for the view beacon: POST with an empty body (Content-Length: 0),
-- plus the percentile report of report.lua (which also sets the browser User-Agent).
-- Each request names another reader in X-Forwarded-For (bench/run trusts the loopback
-- as a proxy), so every beacon counts: one reader's repeats would count once.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

wrk.method = "POST"
wrk.body = ""

local threads = 0
function setup(thread)
   thread:set("offset", threads)
   threads = threads + 1
end

local sent = 0
function request()
   sent = sent + 1
   -- (10 + thread).x.y.z: 16M distinct readers per thread (LuaJIT: Lua 5.1 arithmetic).
   local n = sent % 16777216
   local reader = string.format("%d.%d.%d.%d", 10 + (offset or 0),
      math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
   -- wrk.format uses the table given instead of wrk.headers, not beside it: copy them
   -- (the browser User-Agent among them; without one the beacon takes us for a bot).
   local headers = { ["X-Forwarded-For"] = reader }
   for name, value in pairs(wrk.headers) do headers[name] = value end
   return wrk.format(nil, nil, headers)
end
