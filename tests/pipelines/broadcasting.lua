-- broadcasting: (n,1) with (1,m), (m,) with (n,m), 3-D with 1-D/2-D, 0-d with arrays, and
-- operands of the same shape with different chunks
local da = require("cdask.array")
local x = da.random.normal(0, 1, {6, 7}, {chunks = {4, 3}, seed = 21})
local y = da.random.normal(0, 1, {6, 7}, {chunks = {5, 2}, seed = 22})
local col = da.arange(6, {chunks = 4})[":, None"]
local row = da.linspace(0, 1, 7, {chunks = 3})
local c3 = da.ones({2, 6, 7}, {chunks = {1, 2, 5}})
da.to_npy(x, "x.npy")
da.to_npy(y, "y.npy")
da.to_npy(x + y, "x_plus_y.npy")                   -- different chunks
da.to_npy(x * y.T.T - y["::-1"], "mixed_views.npy")
da.to_npy(col + row, "outer.npy")
da.to_npy(row + col, "outer_rev.npy")
da.to_npy(x - row, "x_minus_row.npy")
da.to_npy(x / col:astype("float64")["1:"]:sum(), "x_div_0d.npy")
da.to_npy(c3 * x, "c3x.npy")
da.to_npy(c3 + row, "c3row.npy")
da.to_npy(c3 * col, "c3col.npy")
da.to_npy(x - x:mean{axis = 1, keepdims = true}, "center_rows.npy")
da.to_npy((x - x:mean(0)) / x:std(0), "standardize.npy")
da.to_npy(x["None"] + x[":, None"], "none_bc.npy")   -- (6, 6, 7)
