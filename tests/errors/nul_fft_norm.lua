-- expect: nul_fft_norm.lua:3: error: the norm contains a NUL byte
local da = require("cdask.array")
local y = da.fft.fft(da.ones({4}), nil, nil, "ortho\0")
da.print(da.arange(3), "x")
