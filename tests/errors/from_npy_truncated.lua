-- expect: from_npy_truncated.lua:4: error: cannot read cut.npy: truncated: header promises 192 bytes of data, file has 183
-- fixture: cut.npy truncated
local da = require("cdask.array")
local x = da.from_npy("cut.npy")
da.print(x:sum(), "sum")
