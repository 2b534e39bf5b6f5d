-- expect: fft_irfft_n.lua:3: error: Invalid number of FFT data points (0) specified.
local da = require("cdask.array")
da.to_npy(da.fft.irfft(da.fft.rfft(da.ones(8)), 0), "r.npy")
