-- expect: from_npy_big_endian.lua:4: error: cannot read bigendian.npy: unsupported dtype '>f8' (big-endian)
-- fixture: bigendian.npy big_endian
local da = require("cdask.array")
local x = da.from_npy("bigendian.npy")
da.print(x:sum(), "sum")
