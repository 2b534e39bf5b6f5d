-- expect: slice_garbage.lua:4: error: bad index '1:x, 2': unexpected 'x'
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x["1:x, 2"]
da.print(y, "y")
