-- expect: slice_step_zero.lua:4: error: bad index '1::0': slice step cannot be zero
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x["1::0"]
da.print(y, "y")
