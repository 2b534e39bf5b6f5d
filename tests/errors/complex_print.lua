-- expect: complex_print.lua:3: error: da.print does not print complex arrays yet: write them with da.to_npy, or print da.real(x) and da.imag(x)
local da = require("cdask.array")
da.print(da.fft.fft(da.ones(8)), "z")
