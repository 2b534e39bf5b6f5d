-- expect: unknown_attribute.lua:5: error: array has no attribute or method 'bar'
local da = require("cdask.array")
local x = da.ones({4, 4})
print(x.shape[1], x.ndim, x.dtype)
local n = x.bar
