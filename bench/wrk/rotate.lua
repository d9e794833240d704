-- Warm-up: cycles through the paths in BENCH_PATHS (space-separated) so every measured page is JIT-compiled first.
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  paths[#paths + 1] = path
end

local n = 0
function request()
  n = n + 1
  return wrk.format("GET", paths[n % #paths + 1])
end
