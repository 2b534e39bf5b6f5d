-- x = normal(10, 0.1, size=(20000, 20000)); x.mean(axis=0)
local da = require("cdask.array")
local x = da.random.normal(10, 0.1, {20000, 20000}, {chunks = {1000, 1000}, seed = 1})
da.to_npy(x:mean(0), "result.npy")
