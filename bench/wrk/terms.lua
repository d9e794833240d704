-- Search with a different common term on (almost) every request: one drawn at random from the lines of
-- BENCH_TERMS, so no cache of any kind can answer from an earlier request for the same term.
local terms = {}
for line in io.lines(os.getenv("BENCH_TERMS")) do
  terms[#terms + 1] = line
end

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init()
  math.randomseed(os.time() * 7919 + thread_id)
end

function request()
  return wrk.format("GET", "/users?q=" .. terms[math.random(#terms)])
end
