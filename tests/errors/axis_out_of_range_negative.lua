-- expect: axis_out_of_range_negative.lua:4: error: axis -3 is out of bounds for array of dimension 2
local da = require("cdask.array")
local x = da.ones({6, 4})
local s = x:mean(-3)
da.print(s, "s")
