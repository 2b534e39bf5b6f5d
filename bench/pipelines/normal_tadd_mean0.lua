-- a = normal(size=(10000, 10000)); (a.T + a).mean(axis=0)
local da = require("cdask.array")
local a = da.random.normal(0, 1, {10000, 10000}, {chunks = {1000, 1000}, seed = 1})
da.to_npy((a.T + a):mean(0), "result.npy")
