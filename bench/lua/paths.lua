-- wrk script: each connection walks the list of paths in the file named by the
-- environment variable BENCH_PATHS (one path per line), starting at a random place, so
-- every path is asked for all through the run. Prints the same BENCH line as report.lua.
local paths = {}
local next_index = 1

function init(args)
   for line in io.lines(os.getenv("BENCH_PATHS")) do
      if line ~= "" then paths[#paths + 1] = line end
   end
   math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
   next_index = math.random(#paths)
end

function request()
   next_index = next_index % #paths + 1
   return wrk.format("GET", paths[next_index])
end

wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
wrk.headers["Accept-Encoding"] = "br, gzip"

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH p50_us=%d p99_us=%d max_us=%d requests=%d duration_us=%d non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d\n",
      latency:percentile(50), latency:percentile(99), latency.max,
      summary.requests, summary.duration,
      e.status, e.connect, e.read, e.write, e.timeout))
end
