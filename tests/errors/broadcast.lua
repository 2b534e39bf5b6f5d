-- expect: broadcast.lua:4: error: shapes (6,4) and (6,3) do not broadcast
local da = require("cdask.array")
local big = da.ones({6, 4}, {chunks = {2, 2}})
local y = big * big["::-1, :-1"]
da.to_npy(y, "y.npy")
