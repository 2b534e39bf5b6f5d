-- the transform of a float32 array is complex64; times fftfreq (float64) it is complex128
-- (issue 10, WA4: this emitted C that did not compile)
local da = require("cdask.array")
local x = da.linspace(-2, 2, 9, {dtype = "float32"})
local y = da.fft.fft(x * x + x) * da.fft.fftfreq(9)
da.to_npy(y, "y.npy")
da.to_npy(y:astype("complex64"):astype("float64"), "re.npy")
