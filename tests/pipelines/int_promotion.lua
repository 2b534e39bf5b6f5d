-- type promotion of integer arrays with arrays and with Lua integers / floats
-- (NumPy 1.24 value-based casting for scalars)
local da = require("cdask.array")
local a = da.arange(-6, 6, {dtype = "int32", chunks = 5})
local b = da.arange(12, {chunks = 5})                      -- int64
local f = da.linspace(-1, 1, 12, {chunks = 5, dtype = "float32"})
da.to_npy(a + b, "a_plus_b.npy")           -- int64
da.to_npy(a + 2, "a_plus_2.npy")           -- int32
da.to_npy(2 - a, "two_minus_a.npy")        -- int32
da.to_npy(a + 2.0, "a_plus_2f.npy")        -- float64
da.to_npy(a * 3000000000, "a_times_big.npy")  -- int64: 3e9 does not fit int32
da.to_npy(a / 2, "a_div_2.npy")            -- float64
da.to_npy(a / (b + 1):astype("int32"), "a_div_arr.npy")   -- float64
da.to_npy(f + 1, "f_plus_1.npy")           -- float32
da.to_npy(f * 2.5, "f_times_2_5.npy")      -- float32
da.to_npy(f + a, "f_plus_a.npy")           -- float64 (float32 + int32)
da.to_npy(f + b, "f_plus_b.npy")           -- float64
da.to_npy(a ^ 2, "a_pow_2.npy")            -- int32
da.to_npy(b ^ 2.0, "b_pow_2f.npy")         -- float64
da.to_npy(-a, "neg_a.npy")                 -- int32
da.to_npy(a:astype("int64") * a, "mixed.npy")
