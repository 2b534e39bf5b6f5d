-- bool arrays: + is or, * is and (bool result); with numbers they promote; sum counts
local da = require("cdask.array")
local a = da.arange(-4, 5, {chunks = 4})
local a32 = a:astype("int32")
local c = a:gt(0)
local d = (a % 2):eq(0)
local t = da.ones({9}, {dtype = "bool", chunks = 2})
da.to_npy(c, "c.npy")
da.to_npy(t, "t.npy")
da.to_npy(c + d, "c_plus_d.npy")      -- bool
da.to_npy(c * d, "c_times_d.npy")     -- bool
da.to_npy(c + 1, "c_plus_1.npy")      -- int64
da.to_npy(c + 1.5, "c_plus_1_5.npy")  -- float64
da.to_npy(c * a, "c_times_a.npy")     -- int64
da.to_npy(c * a32, "c_times_a32.npy") -- int32
da.to_npy(c / t, "c_div_t.npy")       -- float64
da.to_npy(c & d, "and.npy")
da.to_npy(c | d, "or.npy")
da.to_npy(c ~ d, "xor.npy")
da.to_npy(~c, "not.npy")
da.to_npy(c:sum(), "sum.npy")         -- int64 count
da.to_npy(c:mean(), "mean.npy")       -- float64
da.to_npy(c:prod(), "prod.npy")       -- int64
da.to_npy(c:max(), "max.npy")         -- bool
da.to_npy(d:min(), "min.npy")         -- bool
da.to_npy(c:astype("float32"), "c_f32.npy")
da.print(c, "pc")
da.print(c:sum(), "psum")
da.print(c:any(), "pany")
da.print(c:all(), "pall")
