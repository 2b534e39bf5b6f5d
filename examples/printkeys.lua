-- Seed 000 (SKA Dask tutorial, "Diagnostics"): a custom callback, PrintKeys, that prints
-- each task's key before it runs ("Computing: g0:mean:3"), on the tutorial's pipeline.
--   cdaskc examples/printkeys.lua -o printkeys && ./printkeys
local da = require("cdask.array")

da.callbacks("printkeys.c") -- the hooks: examples/printkeys.c
local a = da.random.normal(0, 1, {1000, 1000}, {chunks = {250, 250}})
local res = (a.T + a):mean(0)
da.to_npy(res, "res.npy")
