-- expect: size_stack.lua:5: error: array is too big: shape (3,2147483648,1073741824) of bool is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- stack of arrays each under the limit
local x = da.ones({1 << 31, 1 << 30}, {dtype = "bool"})
da.print(da.stack({x, x, x}):sum(), "s")
