-- rechunk: every form of the chunks argument; the values never change, reductions stay
-- within NumPy's rounding, and elementwise results are exact
local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {3, 4}}) -- (7, 9)
da.to_npy(x:rechunk({2, 2}), "r22.npy")
da.to_npy(x:rechunk(1) * 2, "r1.npy")
da.to_npy(x:rechunk({-1, 3}):sum(0), "rm1.npy")
da.to_npy(x:rechunk("auto"):mean(1), "rauto.npy")
da.to_npy(da.rechunk(x, {{3, 3, 1}, {5, 4}}), "rtuple.npy")
da.to_npy(x:rechunk({7, 9})["::2"]:rechunk({1, 1}), "rslice.npy")
da.to_npy((x:rechunk({2, 5}) + x:rechunk({5, 2})), "rmix.npy")
da.print(da.arange(12):rechunk(5):reshape({3, 4}):rechunk({1, 4}):sum(), "rsum")
