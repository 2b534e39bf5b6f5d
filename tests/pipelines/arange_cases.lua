-- arange: int and float, start/stop/step, negative steps, empty ranges, dtypes, chunks
local da = require("cdask.array")
da.to_npy(da.arange(10), "a10.npy")                       -- int64
da.to_npy(da.arange(2, 20, 3, {chunks = 2}), "a2_20_3.npy")
da.to_npy(da.arange(10, 0, -2), "dec.npy")
da.to_npy(da.arange(10, -10, -3, {chunks = 4}), "dec3.npy")
da.to_npy(da.arange(-3, 3), "neg.npy")
da.to_npy(da.arange(5, 0), "empty.npy")
da.to_npy(da.arange(0, 10, -1), "empty_neg.npy")
da.to_npy(da.arange(10.0), "float_stop.npy")                -- float64
da.to_npy(da.arange(1.5), "f1_5.npy")
da.to_npy(da.arange(0, 1, 0.1, {chunks = 3}), "tenth.npy")  -- 10 elements
da.to_npy(da.arange(1, 2, 0.25), "quarter.npy")
da.to_npy(da.arange(1, -1, -0.3, {chunks = 2}), "fdec.npy")
da.to_npy(da.arange(5, {dtype = "float32"}), "f32.npy")
da.to_npy(da.arange(-4, 4, 3, {dtype = "int32"}), "i32.npy")
da.to_npy(da.arange(0.5, 4, 1), "half.npy")
da.to_npy(da.arange(0, 1000, 7, {chunks = 13}):sum(), "sum.npy")
da.print(da.arange(3, 0, -1), "p")
