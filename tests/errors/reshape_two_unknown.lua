-- expect: reshape_two_unknown.lua:3: error: can only specify one unknown dimension
local da = require("cdask.array")
da.print(da.ones({4, 6}):reshape(-1, 2, -1), "y")
