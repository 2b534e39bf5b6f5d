-- squeeze, expand_dims, broadcast_to: views (affine maps) with NumPy's axis rules, read by
-- elementwise operations and reductions, over ragged chunks and chunks of size 1
local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {1, 3, 1, 2}})  -- (1, 7, 1, 5)
local y = da.from_npy("x.npy", {chunks = 1})
local v = da.from_npy("v.npy", {chunks = 4})             -- (9,) int32
local b = da.from_npy("b.npy", {chunks = {2, 1}})        -- (3, 1) bool

-- squeeze
da.to_npy(x:squeeze(), "sq_all.npy")
da.to_npy(da.squeeze(x, 0), "sq_0.npy")
da.to_npy(x:squeeze(-2), "sq_m2.npy")
da.to_npy(da.squeeze(x, {2, 0}), "sq_20.npy")
da.to_npy(da.squeeze(y, {}), "sq_empty.npy")             -- no axis: x itself
da.to_npy(x:squeeze():sum(0), "sq_sum0.npy")
da.to_npy(y:squeeze() * x:squeeze(2), "sq_mul.npy")      -- (7,5) * (1,7,5)
da.to_npy(x:squeeze()["::-1, 1:4"], "sq_slice.npy")
da.to_npy(b:squeeze(), "sq_bool.npy")
da.print(da.ones({1, 1}):squeeze(), "sq_scalar")
da.to_npy(v:squeeze(), "sq_none.npy")

-- expand_dims
da.to_npy(da.expand_dims(v, 0), "ed_0.npy")
da.to_npy(da.expand_dims(v, -1), "ed_m1.npy")
da.to_npy(da.expand_dims(v, {0, 2}), "ed_02.npy")
da.to_npy(da.expand_dims(v, {-1, 0, 2}), "ed_m102.npy")
da.to_npy(da.expand_dims(x:squeeze(), {1, -1}), "ed_mid.npy")
da.to_npy(da.expand_dims(v, 1) + v, "ed_outer.npy")      -- (9,1) + (9,) -> (9,9)
da.to_npy(da.expand_dims(v, 0):sum(1), "ed_sum.npy")
da.to_npy(da.expand_dims(da.ones({}), {0, 1}), "ed_scalar.npy")
da.to_npy(da.expand_dims(x, {}), "ed_empty.npy")
da.to_npy(da.expand_dims(x:squeeze(), 0):squeeze(0), "ed_sq.npy")

-- broadcast_to
da.to_npy(da.broadcast_to(v, {4, 9}), "bt_rows.npy")
da.to_npy(da.broadcast_to(b, {2, 3, 6}), "bt_bool.npy")
da.to_npy(da.broadcast_to(x, {3, 1, 7, 4, 5}), "bt_x.npy")
da.to_npy(da.broadcast_to(v, 9), "bt_same.npy")
da.to_npy(da.broadcast_to(da.ones({1}), {0}), "bt_zero.npy")
da.to_npy(da.broadcast_to(da.expand_dims(v, 1), {9, 6}):sum(0), "bt_sum0.npy")
da.to_npy(da.broadcast_to(y:squeeze():mean(1, {keepdims = true}), {7, 5}) - y:squeeze(), "bt_centered.npy")
da.to_npy(da.broadcast_to(v["::-2"], {2, 5}).T, "bt_view.npy")
