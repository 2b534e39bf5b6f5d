-- expect: chunks_wrong_rank.lua:3: error: chunks has 3 entries for an array of 2 dimensions
local da = require("cdask.array")
local x = da.zeros({6, 4}, {chunks = {3, 2, 2}})
da.print(x, "x")
