-- Seed 000's pipeline, (a.T + a):mean(0), drawn before fusion (one box per operation, with
-- its chunks and tasks) and after (one cluster per fused group).
local da = require("cdask.array")
local a = da.random.normal(0, 1, {6, 6}, {chunks = 3, seed = 1})
local m = (a.T + a):mean(0)
da.to_npy(m, "m.npy")
da.visualize(m, "seed.before.dot")
da.visualize(m, "seed.after.dot", {optimize_graph = true, rankdir = "LR"})
