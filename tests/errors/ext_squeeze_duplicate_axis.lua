-- expect: ext_squeeze_duplicate_axis.lua:4: error: duplicate value in 'axis'
local da = require("cdask.array")
local x = da.ones({1, 4, 1})
local y = da.squeeze(x, {2, -1})
da.print(y, "y")
