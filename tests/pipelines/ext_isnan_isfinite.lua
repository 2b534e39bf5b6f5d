-- da.isnan, da.isfinite: NaN, +-inf, float32, and integer/bool inputs (all False / all True),
-- with ragged chunks, chunks of size 1, views and reductions of the masks
local da = require("cdask.array")
local f8 = da.from_npy("f8.npy", {chunks = {4, 3}})      -- (10, 7) with NaN and +-inf
local f4 = da.from_npy("f4.npy", {chunks = 1})           -- (3, 5) float32 with NaN and inf
local i4 = da.from_npy("i4.npy", {chunks = {2, 5}})      -- (6, 11) int32
local i8 = da.arange(13, {chunks = 4})
local b = da.from_npy("b.npy", {chunks = {3, 3}})        -- (4, 5) bool

da.to_npy(da.isnan(f8), "f8_isnan.npy")
da.to_npy(da.isfinite(f8), "f8_isfinite.npy")
da.to_npy(da.isnan(f8.T["::-1"]), "f8_isnan_view.npy")
da.to_npy(da.isnan(f8):sum(0), "f8_nan_count0.npy")
da.to_npy(da.isfinite(f8):all(1), "f8_finite_rows.npy")
da.to_npy(da.where(da.isfinite(f8), f8, 0):sum(1), "f8_finite_sum1.npy")
da.to_npy(da.isnan(f8 * 0), "f8_times0.npy")              -- inf * 0 is NaN
da.to_npy(da.isnan(f4), "f4_isnan.npy")
da.to_npy(da.isfinite(f4), "f4_isfinite.npy")
da.to_npy(da.isnan(i4), "i4_isnan.npy")
da.to_npy(da.isfinite(i4), "i4_isfinite.npy")
da.to_npy(da.isnan(i8), "i8_isnan.npy")
da.to_npy(da.isfinite(i8):sum(), "i8_finite_count.npy")
da.to_npy(da.isnan(b), "b_isnan.npy")
da.to_npy(da.isfinite(b), "b_isfinite.npy")
da.to_npy(da.isnan(i4 / 0), "i4_div0.npy")                -- 0/0 NaN, x/0 inf (float64)
da.print(da.isnan(f8["1, 2"]), "scalar_nan")
da.print(da.isfinite(f8["0, 0"]), "scalar_finite")
