-- expect: size_broadcast_to.lua:4: error: array is too big: shape (2147483648,2147483648) of float64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- broadcast_to a huge shape
da.print(da.broadcast_to(da.ones(1), {1 << 31, 1 << 31}):sum(), "s")
