-- expect: chunks_zero.lua:3: error: chunks must be positive, got 0 for axis 1
local da = require("cdask.array")
local x = da.ones({6, 4}, {chunks = {2, 0}})
da.print(x, "x")
