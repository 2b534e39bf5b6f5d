-- expect: from_npy_missing.lua:3: error: cannot open no_such_input.npy: No such file or directory
local da = require("cdask.array")
local x = da.from_npy("no_such_input.npy")
da.print(x:sum(), "sum")
