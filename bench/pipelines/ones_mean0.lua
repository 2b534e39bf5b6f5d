-- ones((20000, 20000)).mean(axis=0)
local da = require("cdask.array")
local o = da.ones({20000, 20000}, {chunks = {1000, 1000}})
da.to_npy(o:mean(0), "result.npy")
