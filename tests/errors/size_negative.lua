-- expect: size_negative.lua:4: error: negative dimensions are not allowed
local da = require("cdask.array")
-- a negative size
da.print(da.ones(-3):sum(), "s")
