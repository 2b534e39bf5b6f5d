-- Seed 003: a delayed inc applied to a whole array, then a method of the result:
--   inc = dask.delayed(lambda x: x + 1)
--   data = np.arange(100_000).reshape(200, 500); a = da.from_array(data, chunks=(100, 100))
--   m = inc(np.sin(a)).mean()
-- A Lua function given to cd.delayed is traced: its arithmetic becomes part of the array
-- pipeline (fused with sin and the mean), no task.
local cd = require("cdask")
local da = require("cdask.array")

local inc = cd.delayed(function(x) return x + 1 end)

local a = da.arange(100000, {chunks = 10000}):reshape({200, 500}):rechunk({100, 100})
local m = inc(da.sin(a)):mean()
da.print(m, "m")
