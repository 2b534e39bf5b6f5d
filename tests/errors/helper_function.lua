-- expect: helper_function.lua:4: error: shapes (6,4) and (3,) do not broadcast
local da = require("cdask.array")
local function combine(a, b)
  local c = a + b
  return c * 2
end

local y = combine(da.ones({6, 4}), da.ones({3}))
da.print(y, "y")
