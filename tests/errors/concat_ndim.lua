-- expect: concat_ndim.lua:3: error: all the input arrays must have same number of dimensions, but the array at index 0 has 2 dimension(s) and the array at index 1 has 1 dimension(s)
local da = require("cdask.array")
da.print(da.concatenate({da.ones({4, 6}), da.ones(6)}), "c")
