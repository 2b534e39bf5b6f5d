-- expect: unknown_function.lua:4: error: cdask.array has no function 'foo'
local da = require("cdask.array")
local x = da.ones({4, 4})
local y = da.foo(x)
da.print(y, "y")
