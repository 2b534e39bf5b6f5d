-- expect: arange_too_large.lua:3: error: array is too big: shape (18446744073709551615,) of int64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
local x = da.arange(-9223372036854775807 - 1, 9223372036854775807)
da.print(x:sum(), "s")
