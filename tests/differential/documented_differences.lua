-- The differences from NumPy 1.24 that test_differential.py's oracle spells out (diffgen.PRELUDE):
-- 0-d arrays take no part in value-based casting; there is no int8; bools become float64
-- in float functions; float32 transforms give complex64.
local da = require("cdask.array")
local b = da.from_npy("b.npy")
local f = da.from_npy("f.npy")
local s = da.from_npy("s.npy") -- a 0-d float64 array
da.to_npy(b // b, "floordiv.npy")
da.to_npy(b % b, "mod.npy")
da.to_npy(b ^ b, "pow.npy")
da.to_npy(f + s, "zero_d.npy")
da.to_npy(f:sum(0) * s, "zero_d_reduced.npy")
da.to_npy(da.sin(b), "sin_bool.npy")
da.to_npy(da.fft.fft(f), "fft32.npy")
da.print(f + 2.5, "weak_scalar")
