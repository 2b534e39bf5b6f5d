-- expect: stack_shapes.lua:3: error: all input arrays must have the same shape
local da = require("cdask.array")
da.print(da.stack({da.ones({2, 3}), da.ones({3, 2})}), "s")
