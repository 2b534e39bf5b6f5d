-- expect: rechunk_rank.lua:4: error: chunks has 3 entries for an array of 2 dimensions
local da = require("cdask.array")
local x = da.ones({4, 6})
local y = x:rechunk({2, 2, 2})
da.print(y, "y")
