-- expect: size_fftfreq.lua:4: error: array is too big: shape (2305843009213693952,) of int64 is more than 2^62 bytes (cdask's limit)
local da = require("cdask.array")
-- fftfreq of a huge n
da.print(da.fft.fftfreq(1 << 62):sum(), "s")
