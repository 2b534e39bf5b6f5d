-- expect: size_reshape_empty.lua:4: error: array is too big: shape (1099511627776,1099511627776,0) of float64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- an empty array reshaped to huge dimensions (NumPy: array is too big)
da.print(da.zeros({0}):reshape({1 << 40, 1 << 40, 0}):sum(), "s")
