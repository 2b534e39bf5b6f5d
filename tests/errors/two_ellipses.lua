-- expect: two_ellipses.lua:4: error: an index can only have a single ellipsis ('...')
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x["..., 0, ..."]
da.print(y, "y")
