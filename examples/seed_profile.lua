-- Seed 000 (SKA Dask tutorial, "Diagnostics"): the pipeline the tutorial profiles.
--   cdaskc examples/seed_profile.lua -o profile && ./profile
local da = require("cdask.array")

local a = da.random.normal(0, 1, {10000, 10000}, {chunks = {1000, 1000}})
local res = (a.T + a):mean(0)
print(res)
da.to_npy(res, "res.npy")
da.print(res:std(), "std of the column means") -- about sqrt(2 / 10000) * ... for a symmetric sum
