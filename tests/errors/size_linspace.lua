-- expect: size_linspace.lua:4: error: array is too big: shape (1152921504606846976,) of float64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- linspace's num
da.print(da.linspace(0, 1, 1 << 60):sum(), "s")
