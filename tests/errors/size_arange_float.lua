-- expect: size_arange_float.lua:4: error: array is too big: shape (inf,) of float64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- a float arange to infinity
da.print(da.arange(0, 1 / 0, 1.5):sum(), "s")
