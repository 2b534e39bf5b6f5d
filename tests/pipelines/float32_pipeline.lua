-- a float32 pipeline stays float32 (scalars do not upcast); reductions in float32
local da = require("cdask.array")
local x = da.random.normal(0, 1, {40, 30}, {chunks = {16, 7}, dtype = "float32", seed = 16})
da.to_npy(x, "x.npy")
local y = da.sin(x) * 2 + da.exp(x / 4) - 0.5
da.to_npy(y, "y.npy")
da.to_npy(da.sqrt(da.abs(x)) ^ 2, "sq.npy")
da.to_npy(y:sum(0), "sum0.npy")
da.to_npy(y:mean(), "mean.npy")
da.to_npy(y:std(1), "std1.npy")
da.to_npy(y:max(0), "max0.npy")
da.to_npy(x:argmax(1), "argmax1.npy")
da.to_npy(x.T["::-1"] + x:mean(1), "bc.npy")
da.to_npy(x // 0.5 + x % 0.5, "fdmod.npy")
da.to_npy(x * x:astype("float64"), "upcast.npy")       -- float64
da.to_npy(x:gt(0.5), "cmp.npy")
