-- expect: size_expand_dims.lua:5: error: array is too big: shape (2147483648,2147483648) of float64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- broadcasting after expand_dims
local x = da.ones(1 << 31)
da.print((da.expand_dims(x, 1) + x):sum(), "s")
