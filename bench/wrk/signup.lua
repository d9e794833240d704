-- POSTs the signup form as a browser would: a real antiforgery cookie + token pair and the form's signed render
-- time (fetched from the app by bench/run.sh, which waits out the form's minimum fill time; one line of BENCH_TOKENS
-- per form as "cookie<TAB>token<TAB>stamp"), the hidden honeypot field left empty as a person leaves it, and a unique
-- username per request. BENCH_EMAIL, when set, is the address of every request (one that already has an entry).
local pairs_file = os.getenv("BENCH_TOKENS")
local run = os.getenv("BENCH_RUN") or "r"
local fixed_email = os.getenv("BENCH_EMAIL")
local tokens = {}
for line in io.lines(pairs_file) do
  local cookie, token, stamp = line:match("^(.-)\t(.-)\t(.*)$")
  tokens[#tokens + 1] = { cookie = cookie, token = token, stamp = stamp }
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
  local email = fixed_email or (name .. "%40bench.example")
  local body = "Input.Username=" .. name .. "&Input.Email=" .. email
    .. "&Remarks=&FormStamp=" .. pair.stamp
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
