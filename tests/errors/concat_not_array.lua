-- expect: concat_not_array.lua:3: error: concatenate: entry 2 is number, not an array
local da = require("cdask.array")
da.print(da.concatenate({da.ones(3), 4}), "c")
