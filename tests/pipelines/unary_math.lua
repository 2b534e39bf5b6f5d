-- sin cos tan exp log sqrt abs floor ceil: float64, ints (-> float64, abs keeps int), edges
local da = require("cdask.array")
local x = da.random.uniform(-3, 3, {9, 8}, {chunks = {4, 3}, seed = 20})
local i = da.arange(-4, 5, {chunks = 4})
local i32 = i:astype("int32")
da.to_npy(x, "x.npy")
da.to_npy(da.sin(x), "sin.npy")
da.to_npy(da.cos(x), "cos.npy")
da.to_npy(da.tan(x), "tan.npy")
da.to_npy(da.exp(x), "exp.npy")
da.to_npy(da.log(da.abs(x)), "log_abs.npy")
da.to_npy(da.log(x), "log.npy")                 -- NaN for negatives
da.to_npy(da.sqrt(x), "sqrt.npy")               -- NaN for negatives
da.to_npy(da.abs(x), "abs.npy")
da.to_npy(da.floor(x), "floor.npy")
da.to_npy(da.ceil(x), "ceil.npy")
da.to_npy(da.abs(i32), "abs_i32.npy")           -- int32
da.to_npy(da.abs(i), "abs_i64.npy")             -- int64
da.to_npy(da.sqrt(i32), "sqrt_i32.npy")         -- float64
da.to_npy(da.exp(i), "exp_i64.npy")             -- float64
da.to_npy(da.floor(i), "floor_i64.npy")         -- float64 (NumPy 1.24)
da.to_npy(da.ceil(i32), "ceil_i32.npy")         -- float64
da.to_npy(da.exp(x * 300), "exp_overflow.npy")  -- inf
da.to_npy(da.log(x * 0), "log_zero.npy")        -- -inf
da.to_npy(da.cos(da.sin(x * 1.5)) + da.exp(-da.abs(x * 1.5)), "nested.npy")
