-- expect: negative_integer_power.lua:4: error: Integers to negative integer powers are not allowed.
local da = require("cdask.array")
local x = da.arange(1, 10)
local y = x ^ -1
da.print(y, "y")
