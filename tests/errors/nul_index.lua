-- expect: nul_index.lua:3: error: the index contains a NUL byte
local da = require("cdask.array")
local y = da.ones({4})["0:2\0:1"]
da.print(da.arange(3), "x")
