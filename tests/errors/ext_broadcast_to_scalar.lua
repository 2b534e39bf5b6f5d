-- expect: ext_broadcast_to_scalar.lua:4: error: cannot broadcast a non-scalar to a scalar array
local da = require("cdask.array")
local x = da.ones({3})
local y = da.broadcast_to(x, {})
da.print(y, "y")
