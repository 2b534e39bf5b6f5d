-- expect: size_arange.lua:4: error: array is too big: shape (4611686018427387904,) of int64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- arange's length
da.print(da.arange(1 << 62):sum(), "s")
