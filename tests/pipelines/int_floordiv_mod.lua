-- // and % with negative operands follow Python/NumPy (floor) semantics, ints and floats
local da = require("cdask.array")
local a = da.arange(-10, 11, {chunks = 6})                   -- int64
local a32 = da.arange(-10, 11, {chunks = 6, dtype = "int32"})
local x = da.arange(-5, 5.5, 0.5, {chunks = 7})              -- float64
da.to_npy(a // 3, "a_fd_3.npy")
da.to_npy(a % 3, "a_mod_3.npy")
da.to_npy(a // -3, "a_fd_m3.npy")
da.to_npy(a % -3, "a_mod_m3.npy")
da.to_npy(a32 // 4, "a32_fd_4.npy")
da.to_npy(a32 % -4, "a32_mod_m4.npy")
da.to_npy(7 // (a32["11:"]), "seven_fd_a32.npy")
da.to_npy(-7 % a["11:"], "m7_mod_a.npy")
da.to_npy(x // 2, "x_fd_2.npy")
da.to_npy(x % 2, "x_mod_2.npy")
da.to_npy(x // -1.5, "x_fd_m1_5.npy")
da.to_npy(x % -1.5, "x_mod_m1_5.npy")
da.to_npy(a // da.full({21}, -4, {chunks = 5}), "a_fd_arr.npy")
da.to_npy(a % da.full({21}, -4, {chunks = 5}), "a_mod_arr.npy")
local one = da.ones({3})
da.to_npy(one // 0.1, "one_fd_tenth.npy")     -- 9.0 in NumPy, not 10
da.to_npy(one % 0.1, "one_mod_tenth.npy")
