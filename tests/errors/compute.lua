-- expect: compute.lua:4: error: cdask compiles the whole script: output results with da.print(x, "label") or da.to_npy(x, "file.npy") instead of compute()
local da = require("cdask.array")
local x = da.ones({4, 4})
local s = x:sum():compute()
