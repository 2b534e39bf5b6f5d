-- mean / std / var with axis variants, keepdims and ddof; float and integer input
local da = require("cdask.array")
local x = da.random.normal(5, 3, {8, 9, 10}, {chunks = {3, 4, 5}, seed = 13})
local k = da.arange(-10, 17, {chunks = 5, dtype = "int32"})
da.to_npy(x, "x.npy")
da.to_npy(x:mean(), "mean.npy")
da.to_npy(x:mean(1), "mean1.npy")
da.to_npy(x:mean{axis = {0, -1}}, "mean0m1.npy")
da.to_npy(x:mean{axis = 2, keepdims = true}, "mean2k.npy")
da.to_npy(x:var(), "var.npy")
da.to_npy(x:var(0), "var0.npy")
da.to_npy(x:var{axis = 0, ddof = 1}, "var0d1.npy")
da.to_npy(x:var{axis = {1, 2}, keepdims = true, ddof = 2}, "var12k.npy")
da.to_npy(x:std(), "std.npy")
da.to_npy(x:std(-2), "std_m2.npy")
da.to_npy(x:std{axis = {0, 1}, ddof = 1}, "std01d1.npy")
da.to_npy(x:std{keepdims = true}, "stdk.npy")
da.to_npy(k:mean(), "kmean.npy")
da.to_npy(k:var(), "kvar.npy")
da.to_npy(k:std{ddof = 1}, "kstd1.npy")
da.to_npy(da.ones({4}):var{ddof = 4}, "var_ddof_n.npy")     -- 0/0 -> nan
da.to_npy(da.ones({4}):var{ddof = 5}, "var_ddof_gt_n.npy")  -- NumPy clamps the divisor at 0 -> nan
da.to_npy(da.arange(4):var{ddof = 5}, "var_ddof_gt_n2.npy")  -- 5/0 -> inf
