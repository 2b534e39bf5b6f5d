-- b = normal(size=(200000, 4000)); (cos(b)**2).mean(axis=1)
local da = require("cdask.array")
local b = da.random.normal(0, 1, {200000, 4000}, {chunks = {1000, 1000}, seed = 1})
da.to_npy((da.cos(b) ^ 2):mean(1), "result.npy")
