-- expect: size_maxinteger.lua:4: error: array is too big: shape (9223372036854775807,) of int32 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- math.maxinteger as a shape
da.print(da.zeros(math.maxinteger, {dtype = "int32"}):sum(), "s")
