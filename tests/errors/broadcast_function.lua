-- expect: broadcast_function.lua:5: error: shapes (5,) and (4,) do not broadcast
local da = require("cdask.array")
local a = da.arange(5)
local b = da.arange(4)
local c = da.maximum(a, b)
da.print(c, "c")
