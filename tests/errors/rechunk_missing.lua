-- expect: rechunk_missing.lua:3: error: rechunk() missing 1 required argument: 'chunks'
local da = require("cdask.array")
da.print(da.ones({4, 6}):rechunk(), "y")
