-- several outputs sharing intermediates; an output that is also an input of later outputs;
-- the same array written twice and printed
local da = require("cdask.array")
local x = da.random.uniform(-1, 1, {12, 10}, {chunks = {5, 4}, seed = 19})
local y = x * 2 + 1
local m = y:mean(0)
da.to_npy(x, "x.npy")
da.to_npy(y, "y.npy")
da.to_npy(m, "m.npy")
da.to_npy(y - m, "centered.npy")
da.to_npy((y - m):sum(0), "centered_sum0.npy")
da.to_npy(y, "y_again.npy")
da.to_npy(da.exp(y):max(1), "expmax1.npy")
da.print(m:sum(), "msum")
da.to_npy(m:sum(), "msum.npy")
