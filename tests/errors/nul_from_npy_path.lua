-- expect: nul_from_npy_path.lua:3: error: from_npy: the path contains a NUL byte
local da = require("cdask.array")
local x = da.from_npy("in.npy\0.npy")
da.print(da.arange(3), "x")
