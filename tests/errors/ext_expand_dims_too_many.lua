-- expect: ext_expand_dims_too_many.lua:4: error: arrays have at most 8 dimensions, the result would have 9
local da = require("cdask.array")
local x = da.ones({2, 2, 2, 2, 2, 2})
local y = da.expand_dims(x, {0, 1, 2})
da.print(y, "y")
