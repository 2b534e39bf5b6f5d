-- da.clip / x:clip: minimum(maximum(x, lo), hi) with NumPy's promotion for Lua-number bounds,
-- either bound nil, NaN propagating, ragged chunks and chunks of size 1
local da = require("cdask.array")
local f8 = da.from_npy("f8.npy", {chunks = {5, 4}})      -- (23, 17) with NaN and +-inf
local f4 = da.from_npy("f4.npy", {chunks = 1})           -- (7, 3) float32 with NaN
local i4 = da.from_npy("i4.npy", {chunks = {2, 5}})      -- (6, 11) int32
local i8 = da.from_npy("i8.npy", {chunks = 4})           -- (13,) int64
local b = da.from_npy("b.npy", {chunks = {3, 3}})        -- (4, 5) bool

da.to_npy(da.clip(f8, -0.5, 0.5), "f8_both.npy")
da.to_npy(f8:clip(nil, 0.25), "f8_hi.npy")
da.to_npy(f8:clip(-0.25), "f8_lo.npy")
da.to_npy(da.clip(f8, 0.5, -0.5), "f8_crossed.npy")      -- lo > hi: hi everywhere
da.to_npy(da.clip(f8, 0 / 0, 1), "f8_nan_bound.npy")  -- NaN everywhere (NumPy >= 1.25)
da.to_npy(da.clip(f8, -1, 1):sum(0), "f8_sum0.npy")
da.to_npy(f8.T:clip(0, 1)["::-2"], "f8_view.npy")
local lo = da.linspace(-1, 0, 17, {chunks = 3})
local hi = da.linspace(0.1, 1, 17, {chunks = 7})
da.to_npy(da.clip(f8, lo, hi), "f8_arrays.npy")
da.to_npy(da.clip(f8, lo, nil), "f8_array_lo.npy")

da.to_npy(f4:clip(-0.5, 0.5), "f4_both.npy")             -- float32
da.to_npy(f4:clip(0, 1e300), "f4_big.npy")               -- float64 (1e300 is no float32)
da.to_npy(f4:clip(nil, 2), "f4_int_bound.npy")           -- float32

da.to_npy(i4:clip(-100, 100), "i4_ints.npy")             -- int32
da.to_npy(i4:clip(-100.5, 100), "i4_float.npy")          -- float64
da.to_npy(i4:clip(0, 1 << 40), "i4_big.npy")             -- int64
da.to_npy(i4:clip(nil, -3), "i4_hi.npy")
da.to_npy(i8:clip(-100000000000, 100000000000), "i8_both.npy")
da.to_npy(i8:clip(0.5), "i8_float.npy")

da.to_npy(b:clip(0, 1), "b_ints.npy")                    -- int64
da.to_npy(b:clip(false, true), "b_bools.npy")            -- bool
da.to_npy(b:clip(true), "b_true.npy")
da.print(da.clip(f8["2, 3"], 0, 0.1), "scalar")
