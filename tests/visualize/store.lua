-- An intermediate stored and read by two groups, drawn for a list of arrays; the third
-- output (s) is not in the pictures.
local da = require("cdask.array")
local x = da.random.normal(0, 1, {40, 30}, {chunks = {20, 10}, seed = 5})
local y = da.sin(x) * da.exp(x * 0.1) + da.cos(x)
local m0, m1 = y:mean(0), y:max(1)
da.to_npy(m0, "m0.npy")
da.to_npy(m1, "m1.npy")
da.to_npy((x + 1):sum(), "s.npy")
da.visualize({m0, m1}, "store.before.dot", {rankdir = "BT"})
da.visualize({m0, m1}, "store.after.dot", {optimize_graph = true})
