-- The stencil benchmark (bench/README.md, "The stencil benchmark"): a 5x5 Gaussian written
-- in C (gaussian5.c) over an N x N float64 image with da.map_overlap, then the mean.
--   x[i, j] = ((i * 7919 + j * 104729) % 65536) / 65536   (hand.c and stencil_dask.py
--   compute the same image; every value, and every value of y, is exact in binary)
-- STENCIL_N (default 10000) and STENCIL_CHUNK (default 1000) are read when cdaskc compiles
-- it (cd.cfile reads gaussian5.c next to this script).
local cd = require("cdask")
local da = require("cdask.array")

local n = math.tointeger(tonumber(os.getenv("STENCIL_N") or "10000"))
local c = math.tointeger(tonumber(os.getenv("STENCIL_CHUNK") or "1000"))
local i = da.arange(n, {chunks = c}):reshape({n, 1})
local j = da.arange(n, {chunks = c}):reshape({1, n})
local x = (i * 7919 + j * 104729) % 65536 / 65536

local k = cd.cfile("gaussian5.c")
local y = da.map_overlap(k.gauss5, x, {depth = 2, boundary = "reflect"})
da.print(y:mean(), "mean")
