-- expect: unknown_dtype.lua:3: error: unknown dtype 'float16' (bool, int32, int64, float32, float64, complex64, complex128)
local da = require("cdask.array")
local x = da.ones({6, 4}, {dtype = "float16"})
da.print(x, "x")
