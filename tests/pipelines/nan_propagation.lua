-- NaN from sqrt/log of negatives and 0/0: min/max/argmin/argmax/sum/mean propagate it like
-- NumPy (argmax/argmin give the first NaN), comparisons with NaN are false (ne true)
local da = require("cdask.array")
local p = da.arange(20, {chunks = 6})
local X = ((p[":, None"] - da.arange(4, {chunks = 3})) % 9 - 1):astype("float64")   -- -1..7
local s = da.sqrt(X)                       -- NaN where X == -1
local l = da.log(X + 1)                    -- -inf where X == -1
local q = X / (X - X)                      -- 0/0 = NaN, +-inf elsewhere
da.to_npy(s, "s.npy")
da.to_npy(s:max(0), "max0.npy")
da.to_npy(s:max(1), "max1.npy")
da.to_npy(s:min(1), "min1.npy")
da.to_npy(s:max(), "max.npy")
da.to_npy(s:argmax(1), "argmax1.npy")
da.to_npy(s:argmin(0), "argmin0.npy")
da.to_npy(s:argmax(), "argmax.npy")
da.to_npy(s["4:"]:argmin(), "argmin_tail.npy")
da.to_npy(s:sum(1), "sum1.npy")
da.to_npy(s:mean(0), "mean0.npy")
da.to_npy(s:std(1), "std1.npy")
da.to_npy(l:min(0), "lmin0.npy")
da.to_npy(l:argmin(1), "largmin1.npy")
da.to_npy(l:sum(1), "lsum1.npy")
da.to_npy(q, "q.npy")
da.to_npy(q:max(1), "qmax1.npy")
da.to_npy(da.maximum(s, 1), "maximum.npy")
da.to_npy(da.minimum(2, s), "minimum.npy")
da.to_npy(s:gt(1), "gt.npy")
da.to_npy(s:ne(s), "ne.npy")
da.to_npy(s:eq(s), "eq.npy")
da.to_npy(da.where(s:ge(0), s, -5), "where.npy")
da.to_npy(s:any(1), "any1.npy")        -- NaN is truthy
