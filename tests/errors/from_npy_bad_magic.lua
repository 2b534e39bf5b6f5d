-- expect: from_npy_bad_magic.lua:4: error: cannot read notnpy.npy: not a .npy file (bad magic)
-- fixture: notnpy.npy bad_magic
local da = require("cdask.array")
local x = da.from_npy("notnpy.npy")
da.print(x:sum(), "sum")
