-- seed example: (b * b[::-1, ::-1]):mean() -> a 0-d result
local da = require("cdask.array")
local b = da.random.normal(0, 1, {1000, 1000}, {chunks = {100, 100}, seed = 3})
da.to_npy(b, "b.npy")
local r = (b * b["::-1, ::-1"]):mean()
da.to_npy(r, "r.npy")
da.print(r, "r")
