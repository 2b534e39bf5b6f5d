-- expect: fft_axis_range.lua:3: error: axis 2 is out of bounds for array of dimension 2
local da = require("cdask.array")
da.to_npy(da.fft.fft2(da.ones({4, 4}), nil, {0, 2}), "r.npy")
