-- POSTs the signup form as a browser would: a real antiforgery cookie + token pair (fetched from the app by
-- bench/run.sh, one pair per line of BENCH_TOKENS as "cookie<TAB>token") and a unique username per request.
local pairs_file = os.getenv("BENCH_TOKENS")
local run = os.getenv("BENCH_RUN") or "r"
local tokens = {}
for line in io.lines(pairs_file) do
  local cookie, token = line:match("^(.-)\t(.*)$")
  tokens[#tokens + 1] = { cookie = cookie, token = token }
end

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local counter = 0
function request()
  counter = counter + 1
  local pair = tokens[(counter + thread_id) % #tokens + 1]
  local name = string.format("%s-%d-%d", run, thread_id, counter)
  local body = "Input.Username=" .. name .. "&Input.Email=" .. name .. "%40bench.example"
    .. "&__RequestVerificationToken=" .. pair.token
  return wrk.format("POST", "/users/new", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = pair.cookie,
  }, body)
end

-- A paced stream for the mixed load: each connection waits BENCH_DELAY_MS between its signups.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end
