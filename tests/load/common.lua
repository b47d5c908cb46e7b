-- Shared by the scenarios: counts non-2xx answers per thread and prints one machine-readable
-- summary line that run.sh turns into its table. wrk's own "errors" only counts status >= 400.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init_counters()
  non2xx = 0
end

-- The scenario's init fills `requests` (one prepared request per profile); each thread then cycles
-- through them, starting at a different one.
requests = {}
local n = 0

function start_rotation()
  n = math.random(#requests) - 1
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "LOADRESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    bad, e.connect + e.read + e.write + e.timeout))
end
