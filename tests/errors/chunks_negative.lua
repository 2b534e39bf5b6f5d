-- expect: chunks_negative.lua:3: error: chunks must be positive, got -2
local da = require("cdask.array")
local x = da.random.normal(0, 1, {6, 4}, {chunks = -2, seed = 1})
da.print(x, "x")
