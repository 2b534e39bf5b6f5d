-- expect: helper_function_tail_call.lua:4: error: axis 5 is out of bounds for array of dimension 2
local da = require("cdask.array")
local function total(a)
  return a:sum(5)
end
local function twice(a)
  return total(a * 2)
end
local y = twice(da.ones({6, 4}))
da.print(y, "y")
