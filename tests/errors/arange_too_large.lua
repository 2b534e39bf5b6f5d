-- expect: arange_too_large.lua:3: error: arange: the result is too large
local da = require("cdask.array")
local x = da.arange(-9223372036854775807 - 1, 9223372036854775807)
da.print(x:sum(), "s")
