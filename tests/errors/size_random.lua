-- expect: size_random.lua:4: error: array is too big: shape (2147483648,2147483648) of float64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- a random array over the limit
da.print(da.random.normal(0, 1, {1 << 31, 1 << 31}):sum(), "s")
