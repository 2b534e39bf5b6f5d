-- expect: ext_nanmin_zero_size_int.lua:4: error: zero-size array to reduction operation fmin which has no identity
local da = require("cdask.array")
local x = da.arange(0)
local y = da.nanmin(x, 0)
da.print(y, "y")
