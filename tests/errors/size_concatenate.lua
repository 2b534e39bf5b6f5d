-- expect: size_concatenate.lua:5: error: array is too big: shape (10737418240,1073741824) of bool is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- concatenation of arrays each under the limit
local x = da.ones({1 << 31, 1 << 30}, {dtype = "bool"})
da.print(da.concatenate({x, x, x, x, x}):sum(), "s")
