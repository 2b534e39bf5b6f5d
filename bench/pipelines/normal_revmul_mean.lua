-- b = normal(size=(200000, 4000)); (b * b[::-1, ::-1]).mean()
local da = require("cdask.array")
local b = da.random.normal(0, 1, {200000, 4000}, {chunks = {1000, 1000}, seed = 1})
da.to_npy((b * b["::-1, ::-1"]):mean(), "result.npy")
