-- Seed 003: a delayed inc applied to a whole array, then a method of the result:
--   inc = dask.delayed(lambda x: x + 1)
--   data = np.arange(100_000).reshape(200, 500); a = da.from_array(data, chunks=(100, 100))
--   m = inc(np.sin(a)).mean()
-- A Lua function given to cd.delayed is traced: its arithmetic becomes part of the array
-- pipeline (fused with sin and the mean), no task. The same inc written in C
-- (examples/kernels/delayed003.c) is one task that receives the whole array, as Dask's
-- delayed function does; da.from_delayed gives its result a shape.
local cd = require("cdask")
local da = require("cdask.array")

local a = da.arange(100000, {chunks = 10000}):reshape({200, 500}):rechunk({100, 100})

local inc = cd.delayed(function(x) return x + 1 end)
local m = inc(da.sin(a)):mean()
da.print(m, "m")

local k = cd.cfile("kernels/delayed003.c")
local inc_c = cd.delayed(k.inc_array)
local m_c = da.from_delayed(inc_c(da.sin(a)), {200, 500}, "float64"):mean()
da.print(m_c, "m_c")
