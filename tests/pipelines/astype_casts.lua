-- astype: float -> int truncates toward zero, -> bool is nonzero (NaN is True), int64 -> int32
-- wraps, float64 -> float32 rounds, bool -> numbers
local da = require("cdask.array")
local x = da.linspace(-3, 3, 13, {chunks = 5}) * 0.9         -- -2.7 .. 2.7
local big = da.arange(5, {chunks = 2}) * 1000000000 + 7      -- up to 4e9+7
local z = da.zeros({3}) / da.zeros({3})                       -- NaN
da.to_npy(x:astype("int32"), "f_i32.npy")
da.to_npy(x:astype("int64"), "f_i64.npy")
da.to_npy(x:astype("bool"), "f_bool.npy")
da.to_npy(z:astype("bool"), "nan_bool.npy")
da.to_npy(x:astype("float32"), "f_f32.npy")
da.to_npy(x:astype("float32"):astype("float64"), "f_f32_f64.npy")
da.to_npy(big:astype("int32"), "i64_i32_wrap.npy")
da.to_npy(big:astype("float32"), "i64_f32.npy")
da.to_npy(big:astype("bool"), "i64_bool.npy")
da.to_npy(x:gt(0):astype("int32"), "bool_i32.npy")
da.to_npy(x:gt(0):astype("float64"), "bool_f64.npy")
da.to_npy(x:astype("int32"):astype("float32") / 2, "chain.npy")
da.to_npy(x:astype("float64"), "same.npy")
da.to_npy((x * 1e10):astype("int64"), "f_i64_big.npy")
