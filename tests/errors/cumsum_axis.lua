-- expect: cumsum_axis.lua:4: error: axis 2 is out of bounds for array of dimension 2
local da = require("cdask.array")
local x = da.ones({2, 3})
local y = x:cumsum(2)
da.print(y, "y")
