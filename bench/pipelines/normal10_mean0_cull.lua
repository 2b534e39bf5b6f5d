-- x = normal(10, 0.1, size=(20000, 20000)); x.mean(axis=0)[:100]
-- Only the first chunk column of x is needed.
local da = require("cdask.array")
local x = da.random.normal(10, 0.1, {20000, 20000}, {chunks = {1000, 1000}})
da.to_npy(x:mean(0)["0:100"], "result.npy")
