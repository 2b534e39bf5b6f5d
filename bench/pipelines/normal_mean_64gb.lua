-- x = normal(size=(200000, 40000)); x.mean()   (64 GB if it were stored)
local da = require("cdask.array")
local x = da.random.normal(0, 1, {200000, 40000}, {chunks = {1000, 1000}})
da.to_npy(x:mean(), "result.npy")
