-- expect: ext_clip_no_bounds.lua:4: error: One of max or min must be given
local da = require("cdask.array")
local x = da.ones({6, 4})
local y = x:clip(nil, nil)
da.print(y, "y")
