-- wrk script for the view beacon: POST with an empty body (Content-Length: 0),
-- plus the percentile report of report.lua (which also sets the browser User-Agent).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

wrk.method = "POST"
wrk.body = ""
