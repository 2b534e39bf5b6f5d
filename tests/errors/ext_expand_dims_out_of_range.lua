-- expect: ext_expand_dims_out_of_range.lua:4: error: axis -4 is out of bounds for array of dimension 3
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = da.expand_dims(x, -4)
da.print(y, "y")
