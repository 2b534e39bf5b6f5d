-- expect: arange_too_large_step.lua:3: error: arange: the result is too large
local da = require("cdask.array")
local x = da.arange(9223372036854775807, -9223372036854775807, -2)
da.print(x:sum(), "s")
