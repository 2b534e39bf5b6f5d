-- expect: size_float.lua:4: error: shape must be a table of integers, got number
local da = require("cdask.array")
-- a float size
da.print(da.ones(2.5):sum(), "s")
