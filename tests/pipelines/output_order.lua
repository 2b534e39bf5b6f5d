-- an array written AFTER an output that depends on it (the graph, not the order of the
-- statements, must decide what is computed first)
local da = require("cdask.array")
local x = da.arange(6, {chunks = 4}) * 2
da.to_npy(x + 1, "a.npy")
da.to_npy(x:sum(), "s.npy")
da.to_npy(x, "x.npy")
local f = da.linspace(0, 1, 5) * 3
da.print(f:astype("int32"), "fi")
da.print(f, "f")
