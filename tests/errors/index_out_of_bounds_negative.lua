-- expect: index_out_of_bounds_negative.lua:4: error: index -7 is out of bounds for axis 0 with size 6
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x[-7]
da.print(y, "y")
