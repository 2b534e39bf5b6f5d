-- expect: ext_nansum_axis_out_of_range.lua:4: error: axis -3 is out of bounds for array of dimension 2
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x:nansum{axis = -3}
da.print(y, "y")
