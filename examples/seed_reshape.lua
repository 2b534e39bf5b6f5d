-- Seed 003 (Dask on a SLURM cluster): a NumPy arange reshaped to 200 x 500, cut into
-- 100 x 100 chunks, then inc(sin(a)):mean().
--   cdaskc examples/seed_reshape.lua -o reshape && ./reshape
-- The reshape only splits the axis of the arange, so it is a view: nothing is stored, and
-- the whole pipeline is one fused reduction (cdaskc --explain shows it).
local da = require("cdask.array")

local function inc(x)
  return x + 1
end

local a = da.arange(100000):reshape({200, 500}):rechunk({100, 100})
local m = inc(da.sin(a)):mean()
da.print(m, "m") -- NumPy: 1.0000181202830565
