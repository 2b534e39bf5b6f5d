-- expect: transpose_repeated_axis.lua:4: error: repeated axis in transpose
local da = require("cdask.array")
local x = da.ones({2, 3, 4})
local y = x:transpose({0, 2, 0})
da.print(y, "y")
