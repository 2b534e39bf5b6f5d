-- expect: reshape_infer.lua:3: error: cannot reshape array of size 24 into shape (5, -1)
local da = require("cdask.array")
da.print(da.ones({4, 6}):reshape({5, -1}), "y")
