-- expect: rechunk_sum.lua:3: error: chunks for axis 0 add up to 5, but the axis has length 4
local da = require("cdask.array")
da.print(da.ones({4, 6}):rechunk({{3, 2}, 6}), "y")
