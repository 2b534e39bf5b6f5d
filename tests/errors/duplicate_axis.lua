-- expect: duplicate_axis.lua:4: error: duplicate value in 'axis'
local da = require("cdask.array")
local x = da.ones({6, 4})
local s = x:sum({1, -1})
da.print(s, "s")
