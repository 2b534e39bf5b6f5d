-- expect: ext_broadcast_to_negative.lua:4: error: all elements of broadcast shape must be non-negative
local da = require("cdask.array")
local x = da.ones({3})
local y = da.broadcast_to(x, {-1, 3})
da.print(y, "y")
