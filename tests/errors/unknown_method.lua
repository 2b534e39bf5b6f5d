-- expect: unknown_method.lua:4: error: array has no attribute or method 'foo'
local da = require("cdask.array")
local x = da.ones({4, 4})
local y = x:foo()
da.print(y, "y")
