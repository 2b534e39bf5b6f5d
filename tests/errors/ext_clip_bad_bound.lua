-- expect: ext_clip_bad_bound.lua:4: error: clip: expected an array or a number, got string
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = da.clip(x, 0, "1")
da.print(y, "y")
