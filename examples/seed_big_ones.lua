-- Seed 001 (Dask tutorial, "Un calcul plus grand"): 6.4 GB of ones in 800 chunks, never
-- stored: every result below is one fused pass per chunk.
--   cdaskc examples/seed_big_ones.lua -o big_ones && ./big_ones
local da = require("cdask.array")

local big_ones = da.ones({200000, 4000}, {chunks = {1000, 1000}})
print(big_ones)

-- The tutorial writes big_ones[::-1, :-1], whose shape (200000, 3999) does not broadcast
-- with (200000, 4000) (NumPy and Dask reject it too); the reversed array is meant.
da.print((big_ones * big_ones["::-1, ::-1"]):mean(), "big_calc")       -- 1.0

local big_ones_reduce = (da.cos(big_ones) ^ 2):mean(1)
print(big_ones_reduce)
da.to_npy(big_ones_reduce, "big_ones_reduce.npy")                       -- 200000 x cos(1)^2
da.print(big_ones_reduce["0:5"], "first")
