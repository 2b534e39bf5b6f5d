-- Seed 000 (SKA internship): recover the sky from a radio telescope's "dirty" image and its
-- point spread function (PSF) by Wiener deconvolution in the Fourier domain.
--   /usr/bin/python3 examples/make_ska_inputs.py --size 1024 --out .   (dirty.npy, psf.npy)
--   cdaskc examples/ska_deconvolution.lua -o ska && ./ska   (wiener.npy, wiener_hunt.npy)
-- The PSF is centred like the image (peak at (N//2, M//2)), so ifftshift moves its peak to
-- [0, 0] before the transform. Any chunking works; the transforms are blocked.
local da = require("cdask.array")

local lam = 0.1 -- Wiener: the noise-to-signal power ratio, constant over frequency
local mu = 0.01 -- Wiener-Hunt: weight of the Laplacian regularizer

local dirty = da.from_npy("dirty.npy")
local psf = da.from_npy("psf.npy")
local N, M = dirty.shape[1], dirty.shape[2]

local H = da.fft.fft2(da.fft.ifftshift(psf)) -- the beam's transfer function
local D = da.fft.fft2(dirty)
local H2 = da.abs(H) ^ 2

-- Wiener: X = conj(H) D / (|H|^2 + lam). The filter is fused into the inverse transform's
-- read pass: no array holds X.
local wiener = da.real(da.fft.ifft2(da.conj(H) * D / (H2 + lam)))
da.to_npy(wiener, "wiener.npy")

-- Wiener-Hunt: |H|^2 + mu |L|^2, L the transfer function of the 3x3 Laplacian
-- [[0,-1,0],[-1,4,-1],[0,-1,0]] centred like the PSF: L(k, l) = 4 - 2 cos(2 pi fk) - 2 cos(2 pi fl)
-- with fk, fl the sample frequencies of the two axes.
local ck = da.cos(da.fft.fftfreq(N) * (2 * math.pi)):reshape({N, 1})
local cl = da.cos(da.fft.fftfreq(M) * (2 * math.pi))
local L = 4 - 2 * ck - 2 * cl
local hunt = da.real(da.fft.ifft2(da.conj(H) * D / (H2 + mu * L * L)))
da.to_npy(hunt, "wiener_hunt.npy")
