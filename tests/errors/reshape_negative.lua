-- expect: reshape_negative.lua:3: error: negative dimensions not allowed
local da = require("cdask.array")
da.print(da.ones({4, 6}):reshape({-4, -6}), "y")
