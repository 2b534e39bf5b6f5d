-- expect: from_npy_empty_file.lua:4: error: cannot read empty.npy: not a .npy file (empty)
-- fixture: empty.npy empty
local da = require("cdask.array")
local x = da.from_npy("empty.npy")
da.print(x:sum(), "sum")
