-- ^ (power): float and int bases/exponents, Lua int vs float exponents, scalar bases,
-- negative bases with fractional exponents (NaN), 0^0 = 1
local da = require("cdask.array")
local x = da.linspace(-2, 2, 9, {chunks = 4})
local p = da.linspace(0.5, 2.5, 9, {chunks = 5})
local i = da.arange(-4, 5, {chunks = 4})
local n = da.arange(0, 9, {chunks = 4})
da.to_npy(x ^ 2, "x_sq.npy")
da.to_npy(x ^ 2.0, "x_sq_f.npy")
da.to_npy(x ^ 3, "x_cube.npy")
da.to_npy(x ^ 0.5, "x_sqrt.npy")          -- NaN for negatives
da.to_npy(x ^ -1, "x_recip.npy")          -- inf at 0
da.to_npy(x ^ 0, "x_zero.npy")            -- all ones, 0^0 = 1
da.to_npy(p ^ p, "p_p.npy")
da.to_npy(2 ^ x, "two_x.npy")
da.to_npy(x ^ (1 / 3), "cbrt_nan.npy")
da.to_npy(i ^ 2, "i_sq.npy")              -- int64
da.to_npy(i ^ 2.0, "i_sq_f.npy")          -- float64
da.to_npy(i ^ n, "i_n.npy")               -- int64
da.to_npy(2 ^ n, "two_n.npy")             -- int64
da.to_npy(i:astype("int32") ^ 3, "i32_cube.npy")   -- int32
da.to_npy(x:astype("float32") ^ 2, "f32_sq.npy")  -- float32
da.to_npy(i ^ 0, "i_zero.npy")
