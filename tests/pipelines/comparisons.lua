-- comparisons give bool arrays; int vs float, scalars on either side, broadcasting
local da = require("cdask.array")
local x = da.linspace(-2, 2, 9, {chunks = 4})                  -- float64
local i = da.arange(-4, 5, {chunks = 5})                        -- int64
local j = da.arange(3, {chunks = 2, dtype = "int32"})[":, None"]
da.to_npy(x:lt(i), "lt.npy")
da.to_npy(x:le(0), "le0.npy")
da.to_npy(x:gt(0.5), "gt.npy")
da.to_npy(i:ge(x), "ge.npy")
da.to_npy(i:eq(x * 2), "eq.npy")
da.to_npy(i:ne(0), "ne0.npy")
da.to_npy(i:eq(j), "eq_bc.npy")                -- (3, 9)
da.to_npy(j:lt(i), "lt_bc.npy")
da.to_npy(x:lt(i) & i:gt(-2) | x:eq(2), "combo.npy")
da.to_npy(x:gt(0):eq(i:gt(0)), "bool_eq.npy")
da.to_npy(i:gt(0):lt(x:gt(-1)), "bool_lt.npy")
da.to_npy(da.less(x, 1), "da_less.npy")
da.to_npy(da.greater_equal(2, x), "da_ge_scalar_first.npy")
da.to_npy(i:astype("float32"):eq(x:astype("float32")), "f32_eq.npy")
da.print(i:gt(0), "pgt")
