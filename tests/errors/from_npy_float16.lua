-- expect: from_npy_float16.lua:4: error: cannot read half.npy: unsupported dtype '<f2'
-- fixture: half.npy float16
local da = require("cdask.array")
local x = da.from_npy("half.npy")
da.print(x:sum(), "sum")
