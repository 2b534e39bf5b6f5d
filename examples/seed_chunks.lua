-- Seed 000 (SKA Dask tutorial, "Simple teste"): the mean over axis 0 of 400 million
-- normal numbers, of which only the first 100 columns are kept.
--   cdaskc examples/seed_chunks.lua -o chunks && ./chunks
local da = require("cdask.array")

local x = da.random.normal(10, 0.1, {20000, 20000}, {chunks = {1000, 1000}})
local y = x:mean(0)["0:100"]
print(y)
da.to_npy(y, "y.npy")
da.print(y["0:4"], "y[:4]")
