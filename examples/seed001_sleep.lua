-- Seed 001 (a Dask tutorial): inc and dec sleep 0.1 s, add 0.2 s. Called one after the
-- other they take 0.4 s; as delayed tasks inc(1) and dec(2) run at the same time, so with
-- two threads the program takes about 0.3 s.
local cd = require("cdask")
local k = cd.cfile("kernels/sleep001.c")

local inc = cd.delayed(k.inc)
local dec = cd.delayed(k.dec)
local add = cd.delayed(k.add)

local x = inc(1)
local y = dec(2)
local z = add(x, y)
cd.print(z, "z")
