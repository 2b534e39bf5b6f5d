-- expect: concat_scalar.lua:3: error: zero-dimensional arrays cannot be concatenated
local da = require("cdask.array")
da.print(da.concatenate({da.ones({}), da.ones({})}), "c")
