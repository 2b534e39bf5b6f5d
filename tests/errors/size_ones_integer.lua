-- expect: size_ones_integer.lua:4: error: array is too big: shape (4611686018427387904,) of float64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- a plain integer shape
da.print(da.ones(1 << 62):sum(), "s")
