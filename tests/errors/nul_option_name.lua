-- expect: nul_option_name.lua:3: error: the option name contains a NUL byte
local da = require("cdask.array")
local y = da.ones({2, 2}):sum({["axis\0"] = 0})
da.print(da.arange(3), "x")
