-- expect: complex_sin.lua:4: error: sin is not supported for complex arrays
local da = require("cdask.array")
local z = da.fft.fft(da.ones(8))
da.to_npy(da.sin(z), "r.npy")
