-- expect: helper_coroutine.lua:5: error: axis 7 is out of bounds for array of dimension 2
local da = require("cdask.array")
local next_sum = coroutine.wrap(function()
  local x = da.ones({6, 4})
  coroutine.yield(x:sum(7))
end)
local y = next_sum()
da.print(y, "y")
