-- expect: concat_axis.lua:3: error: axis 2 is out of bounds for array of dimension 2
local da = require("cdask.array")
da.print(da.concatenate({da.ones({4, 6}), da.ones({4, 6})}, 2), "c")
