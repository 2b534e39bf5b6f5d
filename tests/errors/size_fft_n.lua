-- expect: size_fft_n.lua:4: error: array is too big: shape (4611686018427387900,) of complex128 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- FFT padding to n
da.print(da.real(da.fft.fft(da.ones(4), 1 << 62)):sum(), "s")
