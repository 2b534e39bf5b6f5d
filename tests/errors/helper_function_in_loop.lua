-- expect: helper_function_in_loop.lua:5: error: bad index '::0': slice step cannot be zero
local da = require("cdask.array")
local steps = {"::2", "::-1", "::0"}
local function pick(a, s)
  return a[s]
end
local x = da.arange(12)
for _, s in ipairs(steps) do
  da.print(pick(x, s), s)
end
