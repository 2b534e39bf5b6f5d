-- expect: from_npy_directory.lua:4: error: folder.npy is not a regular file (it is a directory)
-- fixture: folder.npy directory
local da = require("cdask.array")
local x = da.from_npy("folder.npy")
da.print(x:sum(), "sum")
