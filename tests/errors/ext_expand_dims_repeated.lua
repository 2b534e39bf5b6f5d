-- expect: ext_expand_dims_repeated.lua:4: error: repeated axis
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = da.expand_dims(x, {0, -4})
da.print(y, "y")
