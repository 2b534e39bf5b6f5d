-- expect: ext_squeeze_axis_out_of_range.lua:4: error: axis 3 is out of bounds for array of dimension 3
local da = require("cdask.array")
local x = da.ones({1, 4, 1})
local y = da.squeeze(x, 3)
da.print(y, "y")
