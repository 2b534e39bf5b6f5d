-- expect: ext_nanmean_duplicate_axis.lua:4: error: duplicate value in 'axis'
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = da.nanmean(x, {0, -2})
da.print(y, "y")
