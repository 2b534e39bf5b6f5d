-- where / maximum / minimum with arrays, Lua scalars, broadcasting and mixed dtypes
local da = require("cdask.array")
local x = da.random.normal(0, 1, {7, 6}, {chunks = {3, 4}, seed = 15})
local i = da.arange(6, {chunks = 4})                                  -- int64
local i32 = da.arange(-3, 3, {chunks = 4, dtype = "int32"})
local f32 = da.linspace(-1, 1, 6, {chunks = 5, dtype = "float32"})
local c = x:gt(0)
da.to_npy(x, "x.npy")
da.to_npy(da.where(c, x, 0), "relu_where.npy")
da.to_npy(da.maximum(x, 0), "relu_max.npy")
da.to_npy(da.minimum(x, i), "min_bc.npy")
da.to_npy(da.where(c, 1, 0), "where_ints.npy")           -- int64
da.to_npy(da.where(c, 1.5, -2), "where_scal.npy")        -- float64
da.to_npy(da.where(c, i, x), "where_mixed.npy")          -- float64, broadcast
da.to_npy(da.where(i:lt(3), i32, i), "where_int.npy")    -- int64
da.to_npy(da.where(i32:ge(0), f32, 1.5), "where_f32.npy")  -- float32
da.to_npy(da.where(c[":, 0"][":, None"], x, -x), "where_bc_cond.npy")
da.to_npy(da.where(i, i32, 7), "where_int_cond.npy")     -- nonzero int condition
da.to_npy(da.maximum(i32, i), "max_i32_i64.npy")         -- int64
da.to_npy(da.minimum(i32, 1), "min_i32_1.npy")           -- int32
da.to_npy(da.maximum(i32, 0.5), "max_i32_half.npy")      -- float64
da.to_npy(da.maximum(f32, 0), "max_f32_0.npy")           -- float32
da.to_npy(da.minimum(f32, i32), "min_f32_i32.npy")       -- float64
da.to_npy(da.maximum(c, i32:gt(0)), "max_bool.npy")      -- bool
