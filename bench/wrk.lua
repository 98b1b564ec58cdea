-- One wrk script for every workload of `bench.load`, driven by environment variables:
--   BENCH_METHOD   GET or POST
--   BENCH_PATHS    a file of paths, one a line; each request takes one at random
--                  (the varying ids), or BENCH_PATH for one path
--   BENCH_BODY     the POST body; every "{uuid}" in it becomes a new random UUID per
--                  request (submission tokens must differ, or the form sees a double click)
--   BENCH_COOKIE   the Cookie header (CSRF cookie, session)
--   BENCH_EXPECT   the status every answer must have; any other counts as an error
-- At the end it prints one line "BENCH_JSON {...}" with the counts and the latency
-- percentiles in microseconds, which `bench.load` reads.

local method = os.getenv("BENCH_METHOD") or "GET"
local body_template = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local paths = {}

local paths_file = os.getenv("BENCH_PATHS")
if paths_file then
  for line in io.lines(paths_file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
else
  paths[1] = os.getenv("BENCH_PATH") or "/"
end

local headers = {}
if cookie then headers["Cookie"] = cookie end
if method == "POST" then
  headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local threads = {}
unexpected = 0

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 100 + (id or 0))
end

local function uuid()
  return string.format("%08x-%04x-4%03x-a%03x-%06x%06x",
    math.random(0, 0xffffffff), math.random(0, 0xffff), math.random(0, 0xfff),
    math.random(0, 0xfff), math.random(0, 0xffffff), math.random(0, 0xffffff))
end

function request()
  local path = paths[math.random(#paths)]
  local body = nil
  if body_template then
    body = body_template:gsub("{uuid}", uuid)
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  if status ~= expect then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "unexpected": %d, "connect": %d, '
    .. '"read": %d, "write": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
