-- expect: to_npy_absolute.lua:4: error: to_npy: '/tmp/cdask_result.npy' is an absolute path: outputs stay inside the output directory (the program's --out chooses it)
local da = require("cdask.array")
local x = da.ones({3})
da.to_npy(x, "/tmp/cdask_result.npy")
