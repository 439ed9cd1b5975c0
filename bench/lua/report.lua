-- wrk script: after the run, print the latency percentiles that wrk's own
-- --latency table leaves out (it stops at 99%), read from wrk's full histogram.
-- Every figure is in microseconds, on one line that bench/run parses:
--   BENCH p50_us=... p75_us=... p90_us=... p99_us=... p999_us=... max_us=... requests=... non2xx=...
-- Used alone for the GET targets and loaded by beacon.lua for the POST one.

-- A browser User-Agent on every request, so the view beacon counts the view
-- (bots are not counted) and every target sees the same request headers.
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH p50_us=%d p75_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d requests=%d duration_us=%d bytes=%d non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d\n",
      latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9), latency.max,
      summary.requests, summary.duration, summary.bytes,
      e.status, e.connect, e.read, e.write, e.timeout))
end
