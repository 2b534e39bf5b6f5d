-- cumsum and cumprod: NumPy's sequential accumulation, bit for bit, along every axis and
-- over the flattened array, for every dtype, whatever the chunking
local da = require("cdask.array")
local chunkings = {{1, 1, 1}, {2, 3, 4}, {3, 7, 5}, {3, 1, 2}}
for k, c in ipairs(chunkings) do
  local x = da.from_npy("x.npy", {chunks = c}) -- (3, 7, 5) float64
  local s = "_" .. k .. ".npy"
  da.to_npy(x:cumsum(0), "cs0" .. s)
  da.to_npy(x:cumsum(1), "cs1" .. s)
  da.to_npy(da.cumsum(x, -1), "cs2" .. s)
  da.to_npy(x:cumsum(), "csflat" .. s)
  da.to_npy((x * 0.1 + 1):cumprod(1), "cp1" .. s)
  da.to_npy(da.cumprod(x * 0.1 + 1, 2), "cp2" .. s)
  da.to_npy((x * 3 - 1):cumsum(1), "cs_fused" .. s)
  da.to_npy(x:cumsum(2)["1:, ::-1, 2:4"], "cs_slice" .. s)
  da.to_npy(x.T:cumsum(0), "cs_view" .. s)
  da.to_npy(x:cumsum(1):cumsum(0), "cs_twice" .. s)
end
local f = da.from_npy("f.npy", {chunks = {2, 3}}) -- (5, 6) float32
da.to_npy(f:cumsum(1), "f32_cs1.npy")
da.to_npy(f:cumprod(0), "f32_cp0.npy")
local i = da.from_npy("i.npy", {chunks = {4, 1}}) -- (5, 6) int32
da.to_npy(i:cumsum(0), "i32_cs0.npy")
da.to_npy(i:cumprod(1), "i32_cp1.npy")
da.to_npy(i:astype("int64"):cumprod(), "i64_cpflat.npy")
da.to_npy(i:gt(0):cumsum(1), "bool_cs1.npy")
da.to_npy(da.full({4}, 3.0):cumsum(), "const.npy")
da.to_npy(da.arange(10):cumsum(0)["3:7"], "culled.npy")
da.print(da.full({}, 2.5):cumsum(), "scalar")
