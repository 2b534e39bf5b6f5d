-- expect: axis_out_of_range.lua:4: error: axis 2 is out of bounds for array of dimension 2
local da = require("cdask.array")
local x = da.ones({6, 4})
local s = x:sum(2)
da.print(s, "s")
