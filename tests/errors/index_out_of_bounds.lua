-- expect: index_out_of_bounds.lua:4: error: index 4 is out of bounds for axis 1 with size 4
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x[":, 4"]
da.print(y, "y")
