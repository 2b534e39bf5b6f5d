-- o = ones((1000, 1000)); o.mean(), chunks (1, 1): 10^6 chunks of one element
local da = require("cdask.array")
local o = da.ones({1000, 1000}, {chunks = {1, 1}})
da.to_npy(o:mean(), "result.npy")
