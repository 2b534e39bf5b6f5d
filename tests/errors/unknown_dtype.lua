-- expect: unknown_dtype.lua:3: error: unknown dtype 'complex128' (bool, int32, int64, float32, float64)
local da = require("cdask.array")
local x = da.ones({6, 4}, {dtype = "complex128"})
da.print(x, "x")
