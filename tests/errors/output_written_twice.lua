-- expect: output_written_twice.lua:5: error: out.npy is already written by line 4
local da = require("cdask.array")
local x = da.ones({6, 4})
da.to_npy(x, "out.npy")
da.to_npy(x + 1, "out")
