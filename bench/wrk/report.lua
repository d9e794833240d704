-- Appended to every wrk script by bench/run.sh: one machine-readable line per run.
-- "errors" counts non-2xx/3xx answers plus socket errors and timeouts.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p99_ms=%.2f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000,
    e.status + e.connect + e.read + e.write + e.timeout, summary.requests))
end
