-- the program writes its .npy outputs under --out DIR
local da = require("cdask.array")
local a = da.arange(5, {chunks = 2})
da.to_npy(a * a, "sq.npy")
da.to_npy(a:sum(), "sum.npy")
da.print(a:max(), "max")
