-- expect: from_npy_unreadable.lua:4: error: cannot open locked.npy: Permission denied
-- fixture: locked.npy unreadable
local da = require("cdask.array")
local x = da.from_npy("locked.npy")
da.print(x:sum(), "sum")
