-- expect: rechunk_zero.lua:3: error: chunks must be positive, got 0 for axis 1
local da = require("cdask.array")
da.print(da.ones({4, 6}):rechunk({2, 0}), "y")
