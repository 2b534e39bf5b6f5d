-- 0-d arrays: full reductions, integer indexing down to a scalar, 0-d with arrays
local da = require("cdask.array")
local a = da.arange(10, {chunks = 4})
local s = a:sum()                 -- 0-d int64
local m = a:mean()                -- 0-d float64
local e = a[3]                    -- 0-d int64
da.to_npy(s, "s.npy")
da.to_npy(m, "m.npy")
da.to_npy(e, "e.npy")
da.to_npy(a - m, "am.npy")        -- broadcast a 0-d reduction back
da.to_npy(s * e + 1, "se.npy")    -- 0-d arithmetic
da.to_npy(da.ones({3, 4})[1][2], "ix.npy")
local b = da.full({2, 3}, 4)
da.to_npy(b["1, 2"], "b12.npy")
da.to_npy(b["1, 2"] / 8, "bdiv.npy")
da.print(s, "s")
da.print(m, "m")
da.print(a[-1], "last")
