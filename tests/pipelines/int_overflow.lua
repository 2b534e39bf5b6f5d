-- fixed-width integer arithmetic wraps like NumPy (two's complement), int32 and int64
local da = require("cdask.array")
local m32 = da.full({3}, 2147483647, {dtype = "int32"})
local m64 = da.full({3}, 9223372036854775807, {dtype = "int64"})
da.to_npy(m32 + 1, "i32_add.npy")
da.to_npy(m32 * 2, "i32_mul.npy")
da.to_npy(-m32 - 2, "i32_sub.npy")
da.to_npy(m64 + 1, "i64_add.npy")
da.to_npy(m64 * 3, "i64_mul.npy")
da.to_npy(m32 + m32, "i32_arr_add.npy")
da.to_npy(m32:sum(), "i32_sum.npy")         -- int64: no overflow
da.to_npy(m64:sum(), "i64_sum.npy")         -- wraps
da.to_npy(m32:prod(), "i32_prod.npy")       -- int64, wraps
