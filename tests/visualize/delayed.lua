-- Delayed values (seed 000): inc and double of two numbers, added, then an array from them;
-- a delayed value is drawn like an array.
local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("delayed_k.c")
local inc, double, add = cd.delayed(k.inc), cd.delayed(k.dbl), cd.delayed(k.add)
local c1 = add(inc(1), double(1))
local c2 = add(inc(2), double(2))
local total = add(c1, c2)
cd.print(total, "total")
cd.visualize(total, "delayed.before.dot")
da.visualize({total, c1}, "delayed.after.dot", {optimize_graph = true, rankdir = "LR"})
