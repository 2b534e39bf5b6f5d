-- expect: ext_expand_dims_no_axis.lua:4: error: expand_dims() missing 1 required positional argument: 'axis'
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = da.expand_dims(x)
da.print(y, "y")
