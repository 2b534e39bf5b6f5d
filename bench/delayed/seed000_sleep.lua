-- Seed 000's first delayed example: inc and add each sleep 1 s (examples/kernels/sleep000.c).
--   x = delayed(inc)(1); y = delayed(inc)(2); z = delayed(add)(x, y)
-- Sequential: 3 s; the two inc calls are independent, so with two threads: 2 s.
local cd = require("cdask")
local k = cd.cfile("kernels/sleep000.c")
local inc = cd.delayed(k.inc)
local add = cd.delayed(k.add)
local z = add(inc(1), inc(2))
cd.print(z, "z")
