-- division by zero: integers give 0 for // and % (NumPy), floats give inf / -inf / nan
local da = require("cdask.array")
local a = da.arange(-2, 3, {chunks = 2})                 -- [-2 -1 0 1 2] int64
local z = da.zeros({5}, {dtype = "int64", chunks = 3})
local x = a:astype("float64")
local zf = da.zeros({5}, {chunks = 3})
da.to_npy(a // z, "int_fd0.npy")
da.to_npy(a % z, "int_mod0.npy")
da.to_npy(a / z, "int_div0.npy")        -- float64 inf/nan
da.to_npy(x / zf, "f_div0.npy")
da.to_npy(x // zf, "f_fd0.npy")
da.to_npy(x % zf, "f_mod0.npy")
da.to_npy(x / 0, "f_div_lua0.npy")
da.to_npy(1 / x, "one_over_x.npy")
