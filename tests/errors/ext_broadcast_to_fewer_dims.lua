-- expect: ext_broadcast_to_fewer_dims.lua:4: error: input operand has more dimensions than allowed by the axis remapping
local da = require("cdask.array")
local x = da.ones({2, 3})
local y = da.broadcast_to(x, {3})
da.print(y, "y")
