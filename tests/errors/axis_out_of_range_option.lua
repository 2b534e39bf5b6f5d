-- expect: axis_out_of_range_option.lua:4: error: axis 3 is out of bounds for array of dimension 3
local da = require("cdask.array")
local x = da.zeros({2, 3, 4})
local s = x:max{axis = {0, 3}, keepdims = true}
da.print(s, "s")
