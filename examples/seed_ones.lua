-- Seed 001 (Dask tutorial, "Dask Arrays"): a 1000 x 4000 array of ones in four chunks.
--   cdaskc examples/seed_ones.lua -o ones && ./ones
local da = require("cdask.array")

local shape = {1000, 4000}
local ones = da.ones(shape, {chunks = {1000, 1000}})
print(ones) -- at compile time: shape, dtype, chunks, bytes (like Dask's repr)

da.print(ones:sum(), "sum_of_ones")                                -- 4000000.0
da.print(ones["::-2, ::-2"]:sum(), "strided_sum")                  -- 1000000.0
da.print((ones * ones["::-1, ::-1"]):mean(), "fancy_calculation") -- 1.0
