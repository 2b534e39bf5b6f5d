-- reshape and ravel: views when axes only split (or gain/lose length-1 axes), reads of the
-- stored input when axes merge; over chunkings that do and do not divide the shape, and
-- chunks of size 1. The seed 003 example at the end.
local da = require("cdask.array")
local chunkings = {{1, 1}, {4, 3}, {6, 10}, {5, 7}}
for k, c in ipairs(chunkings) do
  local x = da.from_npy("x.npy", {chunks = c}) -- (6, 10) float64
  local s = "_" .. k .. ".npy"
  da.to_npy(x:reshape({2, 3, 10}), "split" .. s)
  da.to_npy(x:reshape(60), "flat" .. s)
  da.to_npy(x:reshape({4, 15}), "merge" .. s)
  da.to_npy(x:reshape(3, -1), "infer" .. s)
  da.to_npy(x.T:reshape({60}), "tflat" .. s)
  da.to_npy((x * 2 + 1):reshape({5, 12}):sum(0), "merge_sum" .. s)
  da.to_npy(x:reshape({1, 6, 1, 10, 1}), "ones" .. s)
  da.to_npy(x:reshape({1, 6, 1, 10, 1}):reshape({60, 1}), "ones_back" .. s)
  da.to_npy(x:reshape(60):reshape({10, 6}), "twice" .. s)
  da.to_npy(x:reshape({4, 15})["1:3, ::-2"], "merge_slice" .. s)
  da.to_npy(x:ravel()["7:23"], "ravel_cull" .. s)
  da.to_npy(da.reshape(x["::-1, 1:9"], {8, 6}) - 1, "view_merge" .. s)
end
local v = da.from_npy("v.npy", {chunks = 5})     -- (24,) int32
da.to_npy(v:reshape({2, 3, 4}), "v_split.npy")
da.to_npy(v:reshape({2, 3, 4}):reshape({4, 6}), "v_merge.npy")
da.to_npy(v:gt(0):reshape({6, 4}), "v_bool.npy")
da.to_npy(da.ones({2, 0, 3}):reshape({0, 5}), "empty.npy")
da.print(da.full({1, 1}, 7.5):reshape({}), "to_scalar")

-- seed 003
local a = da.arange(100000):reshape({200, 500}):rechunk({100, 100})
da.print((da.sin(a) + 1):mean(), "seed003")
