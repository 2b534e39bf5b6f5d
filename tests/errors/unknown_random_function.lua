-- expect: unknown_random_function.lua:3: error: cdask.array.random has no function 'poisson'
local da = require("cdask.array")
local x = da.random.poisson(3, {4, 4})
da.print(x, "x")
