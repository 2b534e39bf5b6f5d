-- expect: nul_dtype.lua:3: error: the dtype name contains a NUL byte
local da = require("cdask.array")
local y = da.ones({2}):astype("float64\0junk")
da.print(da.arange(3), "x")
