-- expect: arange_too_large_step.lua:3: error: array is too big: shape (9223372036854775807,) of int64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
local x = da.arange(9223372036854775807, -9223372036854775807, -2)
da.print(x:sum(), "s")
