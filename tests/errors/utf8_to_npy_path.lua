-- expect: utf8_to_npy_path.lua:3: error: to_npy: the path is not valid UTF-8 (byte 2)
local da = require("cdask.array")
da.to_npy(da.ones({2}), "a\xff.npy")
da.print(da.arange(3), "x")
