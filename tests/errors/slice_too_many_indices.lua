-- expect: slice_too_many_indices.lua:4: error: too many indices for array: array is 2-dimensional, but 3 were indexed
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x["1, :, 0"]
da.print(y, "y")
