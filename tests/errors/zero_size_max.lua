-- expect: zero_size_max.lua:4: error: zero-size array to reduction operation maximum which has no identity
local da = require("cdask.array")
local x = da.ones({0, 4})
local y = x:max()
da.print(y, "y")
