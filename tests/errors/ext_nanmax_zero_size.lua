-- expect: ext_nanmax_zero_size.lua:4: error: zero-size array to reduction operation fmax which has no identity
local da = require("cdask.array")
local x = da.ones({0, 4})
local y = x:nanmax()
da.print(y, "y")
