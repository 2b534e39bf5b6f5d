-- x = normal(size=(10000, 10000)); x.mean(axis=0), chunks (100, 100)
local da = require("cdask.array")
local x = da.random.normal(0, 1, {10000, 10000}, {chunks = {100, 100}})
da.to_npy(x:mean(0), "result.npy")
