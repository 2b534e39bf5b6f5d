-- expect: concat_empty.lua:3: error: need at least one array to concatenate
local da = require("cdask.array")
da.print(da.concatenate({}), "c")
