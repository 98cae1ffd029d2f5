-- wrk script: every request carries the next token of a file (one token a line), round-robin, so that the
-- application verifies a signature per request instead of serving its verified-token cache (issue 18).
-- Make the file with benchmarks/load/UniqueTokens.java, then, from the repository root:
--   java benchmarks/load/UniqueTokens.java /tmp/unique-tokens.txt 20000
--   wrk -t2 -c32 -d20s --latency -s benchmarks/load/unique-tokens.lua http://127.0.0.1:8080/get -- /tmp/unique-tokens.txt 2
-- Arguments after "--": the token file (default: $UNIQUE_TOKENS, else /tmp/unique-tokens.txt) and the number of
-- wrk threads (-t, default 1), which spreads the threads' starting points evenly over the file. A token comes
-- back only after every other token of the file was sent: use more tokens than the run sends (or at least far
-- more than the cache holds, 10,000 entries and 16 MiB by default). Responses other than 200 are counted and
-- reported at the end, and make the script say FAILED.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

local tokens = {}
local next_index = 1
local headers = {}
non_200 = 0
first_bad = ""

function init(args)
   local file = args[1] or os.getenv("UNIQUE_TOKENS") or "/tmp/unique-tokens.txt"
   local thread_count = tonumber(args[2] or "1")
   local f = assert(io.open(file, "r"), "cannot read the token file " .. file)
   for line in f:lines() do
      if #line > 0 then
         tokens[#tokens + 1] = line
      end
   end
   f:close()
   assert(#tokens > 0, "no token in " .. file)
   -- Threads start evenly apart, so a token comes back only after the whole file went round.
   next_index = (math.floor(#tokens * id / math.max(thread_count, id + 1)) % #tokens) + 1
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
end

function request()
   headers["Authorization"] = "Bearer " .. tokens[next_index]
   next_index = next_index + 1
   if next_index > #tokens then
      next_index = 1
   end
   return wrk.format(nil, nil, headers)
end

function response(status, response_headers, body)
   if status ~= 200 then
      if non_200 == 0 then
         first_bad = tostring(status)
      end
      non_200 = non_200 + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   local first = ""
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non_200")
      if first == "" then
         first = thread:get("first_bad")
      end
   end
   if bad == 0 then
      io.write(string.format("unique-tokens: %d requests, all 200\n", summary.requests))
   else
      io.write(string.format("unique-tokens: FAILED: %d of %d requests were not 200 (first: %s)\n", bad,
         summary.requests, first))
   end
end
