-- Wiener deconvolution of float64 4096x4096 images (bench/out/inputs/ska_4096x4096):
-- X = conj(H) D / (|H|^2 + lam), H = fft2(ifftshift(psf)), D = fft2(dirty); real(ifft2(X))
local da = require("cdask.array")
local lam = 0.1 -- spec.py WIENER_LAMBDA
local dirty = da.from_npy("dirty.npy")
local psf = da.from_npy("psf.npy")
local H = da.fft.fft2(da.fft.ifftshift(psf))
local D = da.fft.fft2(dirty)
local X = da.conj(H) * D / (da.abs(H) ^ 2 + lam)
da.to_npy(da.real(da.fft.ifft2(X)), "result.npy")
