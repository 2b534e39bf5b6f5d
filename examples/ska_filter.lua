-- SKA-flavoured map_overlap: smooth a radio image with a 5x5 Gaussian written in C.
--   cdaskc examples/ska_filter.lua -o filter && ./filter   (sky.npy, smoothed.npy)
-- (cd.cfile reads a relative path next to the script: kernels/gaussian.c is examples/kernels/gaussian.c.)
-- The image is a synthetic "dirty" sky: thermal noise plus a few point sources. Each
-- 128 x 128 block is handed to the kernel with a halo of 2 pixels (the image's edges
-- mirrored, Dask's boundary = "reflect"), and the kernel's 2-pixel border is trimmed off.
-- To filter the deconvolved image of ska_deconvolution.lua instead, replace `sky` with
-- da.from_npy("wiener.npy"):rechunk({128, 128}).
local da = require("cdask.array")
local cd = require("cdask")

local k = cd.cfile("kernels/gaussian.c")

local N = 512
local noise = da.random.normal(0, 0.05, {N, N}, {chunks = {128, 128}, seed = 12})
local i = da.arange(N):reshape({N, 1})
local j = da.arange(N):reshape({1, N})
local sky = noise
for _, s in ipairs({{100, 140, 1.0}, {300, 77, 0.6}, {420, 400, 0.8}, {255, 256, 0.3}}) do
  local r2 = (i - s[1]) ^ 2 + (j - s[2]) ^ 2
  sky = sky + s[3] * da.exp(r2 * -0.125)
end
sky = sky:rechunk({128, 128})
da.to_npy(sky, "sky.npy")

local smoothed = da.map_overlap(k.gaussian5, sky, {depth = 2, boundary = "reflect"})
da.to_npy(smoothed, "smoothed.npy")
da.print(smoothed:max(), "peak")
da.print(smoothed:mean(), "mean")
