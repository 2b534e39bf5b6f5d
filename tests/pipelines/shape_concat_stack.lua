-- concatenate and stack: inputs of several kinds (stored inputs, views of them, computed
-- arrays, generated sources, mixed dtypes), along every axis, read by elementwise work,
-- reductions and slices, over chunkings that do and do not divide the shape
local da = require("cdask.array")
local chunkings = {{1, 1}, {2, 3}, {4, 5}}
for k, c in ipairs(chunkings) do
  local x = da.from_npy("x.npy", {chunks = c}) -- (4, 5) float64
  local y = da.from_npy("y.npy", {chunks = c}) -- (3, 5) float64
  local z = da.from_npy("z.npy", {chunks = c}) -- (4, 2) int32
  local s = "_" .. k .. ".npy"
  da.to_npy(da.concatenate({x, y}), "c0" .. s)
  da.to_npy(da.concatenate({x, y, x * 2}, 0), "c0_three" .. s)
  da.to_npy(da.concatenate({x, z}, 1), "c1_mixed" .. s)
  da.to_npy(da.concatenate({z, x, z}, -1), "cm1" .. s)
  da.to_npy(da.concatenate({x.T, y.T}, 1), "c_views" .. s)
  da.to_npy(da.concatenate({x, da.ones({2, 5}), da.arange(5):reshape({1, 5})}), "c_sources" .. s)
  da.to_npy(da.concatenate({x, y}):sum(0), "c_sum0" .. s)
  da.to_npy(da.concatenate({x, y}):sum(1), "c_sum1" .. s)
  da.to_npy(da.concatenate({x, y})["2:6, ::-1"], "c_slice" .. s)
  da.to_npy(da.concatenate({x, y})["5:"], "c_cull_y" .. s)
  da.to_npy(da.concatenate({da.concatenate({x, y}), x}) + 1, "c_nested" .. s)
  da.to_npy(da.sin(da.concatenate({x, y}, 0)) * da.concatenate({y, x}, 0), "c_two" .. s)
  da.to_npy(da.stack({x, x * 3}), "s0" .. s)
  da.to_npy(da.stack({x, x + 1, x.T.T}, 1), "s1" .. s)
  da.to_npy(da.stack({x, x}, -1), "sm1" .. s)
  da.to_npy(da.stack({x, z:astype("float64"):sum(1):reshape({4, 1}) + x}, 2):mean(2), "s_mean" .. s)
end
local b = da.from_npy("b.npy", {chunks = 2}) -- (5,) bool
da.to_npy(da.concatenate({b, da.logical_not(b)}), "bool.npy")
da.to_npy(da.stack({b, b}), "bool_stack.npy")
da.to_npy(da.concatenate({b, da.arange(3)}), "bool_int.npy")
