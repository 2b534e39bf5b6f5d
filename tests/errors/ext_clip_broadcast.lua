-- expect: ext_clip_broadcast.lua:4: error: shapes (6,4) and (3,) do not broadcast
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = da.clip(x, da.zeros({3}), 1)
da.print(y, "y")
