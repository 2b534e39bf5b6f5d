-- expect: from_npy_directory.lua:4: error: cannot read folder.npy: cannot read: Is a directory
-- fixture: folder.npy directory
local da = require("cdask.array")
local x = da.from_npy("folder.npy")
da.print(x:sum(), "sum")
