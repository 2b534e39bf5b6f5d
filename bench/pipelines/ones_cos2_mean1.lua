-- big_ones = ones((200000, 4000)); (cos(big_ones)**2).mean(axis=1)
local da = require("cdask.array")
local big_ones = da.ones({200000, 4000}, {chunks = {1000, 1000}})
da.to_npy((da.cos(big_ones) ^ 2):mean(1), "result.npy")
