-- expect: stack_axis.lua:3: error: axis -4 is out of bounds for array of dimension 3
local da = require("cdask.array")
da.print(da.stack({da.ones({2, 3}), da.ones({2, 3})}, -4), "s")
