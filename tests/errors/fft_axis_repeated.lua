-- expect: fft_axis_repeated.lua:3: error: repeated axis 1 in the axes of a transform
local da = require("cdask.array")
da.to_npy(da.fft.fftn(da.ones({4, 4}), nil, {1, -1}), "r.npy")
