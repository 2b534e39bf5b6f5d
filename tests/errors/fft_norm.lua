-- expect: fft_norm.lua:3: error: Invalid norm value orthogonal; should be "backward", "ortho" or "forward".
local da = require("cdask.array")
da.to_npy(da.fft.fft(da.ones(4), nil, nil, "orthogonal"), "r.npy")
