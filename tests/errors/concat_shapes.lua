-- expect: concat_shapes.lua:5: error: all the input array dimensions except for the concatenation axis must match exactly, but along dimension 1, the array at index 0 has size 6 and the array at index 1 has size 5
local da = require("cdask.array")
local a = da.ones({4, 6})
local b = da.zeros({3, 5})
local c = da.concatenate({a, b}, 0)
da.print(c, "c")
