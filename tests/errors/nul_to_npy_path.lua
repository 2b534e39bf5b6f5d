-- expect: nul_to_npy_path.lua:3: error: to_npy: the path contains a NUL byte
local da = require("cdask.array")
da.to_npy(da.ones({2}), "a\0.npy")
da.print(da.arange(3), "x")
