-- big_ones = ones((200000, 4000)); (big_ones * big_ones[::-1, ::-1]).mean()
-- The seed writes big_ones[::-1, :-1]: that drops the last column, and shapes
-- (200000, 4000) and (200000, 3999) do not broadcast, so it is a typo. We benchmark
-- the intended [::-1, ::-1] (as do engine_numpy.py and engine_dask.py).
local da = require("cdask.array")
local big_ones = da.ones({200000, 4000}, {chunks = {1000, 1000}})
da.to_npy((big_ones * big_ones["::-1, ::-1"]):mean(), "result.npy")
